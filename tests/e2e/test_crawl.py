"""Every page reachable from each demo role's landing page, in Chinese and in English: no server error, no link
the user is shown but may not follow, and no table whose rows do not line up with its header.

The crawl uses Django's test client (no page here needs JavaScript to show its links). It is breadth-first and
GET only; it skips logging out, downloads (evidence and objection files) and the Django admin by their URL, and
follows at most PER_SHAPE links of one shape (the path with its numbers blanked, and its query's names) from each
page, so that a grid's 17 sheets are visited through a couple of them, while every round's grids and sheets are.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model

from .demo import load_demo_year, publish_by_actions

pytestmark = pytest.mark.django_db

ROLES = ["admin", "jingban", "fenguan", "zhidao", "huiyi1", "guancha", "chengguan", "dongshan",
         "zhangsan", "chenjing", "zhangwei"]  # every demo role, an appraisal employee and an MBO owner
SKIPPED = re.compile(r"^/(logout|admin)/|/evidence/|/objections/\d+/evidence/|[?&](format|export|download)=")
PER_SHAPE = 3
MAX_PAGES = 400


class Page(HTMLParser):
    """The links of a page and, per table, the width of its header and of each row (colspans counted)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tables: list[list[tuple[int, bool]]] = []  # per table: (width, every cell is a <th>) per row
        self._stack: list[list] = []
        self._row: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._row = [0, True]
            self._stack[-1].append(self._row)
        elif tag in {"td", "th"} and self._row is not None:
            self._row[0] += int(attrs.get("colspan") or 1)
            self._row[1] = self._row[1] and tag == "th"

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self.tables.append([tuple(row) for row in self._stack.pop()])
            self._row = None


def misaligned(tables) -> list[str]:
    """A table with a header row (all <th>) whose other rows have a different number of cells."""
    found = []
    for n, rows in enumerate(tables):
        if not rows or not rows[0][1]:
            continue  # a key/value table without a header row
        width = rows[0][0]
        found += [f"table {n + 1}, row {i + 2}: {w} cells under {width} headers"
                  for i, (w, _h) in enumerate(rows[1:]) if w != width]
    return found


def shape(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "#", parts.path) + "?" + ",".join(sorted({k for k, _v in parse_qsl(parts.query)}))


def crawl(client) -> tuple[int, list[str]]:
    """Visit what the landing page leads to; returns how many pages were read and every problem found."""
    queue, seen, shapes, problems, pages = deque(["/"]), {"/"}, {}, [], 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        pages += 1
        if response.status_code >= 500 or response.status_code in {403, 404}:
            problems.append(f"{url} answers {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode())
        problems += [f"{url}: {line}" for line in misaligned(page.tables)]
        for href in page.links:
            href = href.split("#")[0]
            if href.startswith("?"):
                href = urlsplit(url).path + href
            if not href.startswith("/") or href.startswith("//") or SKIPPED.search(href) or href in seen:
                continue
            seen.add(href)
            key = (shape(href), urlsplit(url).path)  # a few of each kind of link on each page
            shapes[key] = shapes.get(key, 0) + 1
            if shapes[key] <= PER_SHAPE:
                queue.append(href)
    return pages, problems


BUREAU = ["admin", "jingban", "fenguan", "zhidao", "huiyi1", "guancha"]  # who has pages while rounds are open


def crawl_as(client, usernames) -> dict:
    """(user, language) → the problems its crawl found, for each of ``usernames`` in Chinese and English."""
    users = get_user_model().objects.in_bulk(usernames, field_name="username")
    assert set(users) == set(usernames), "a demo role is missing"
    problems = {}
    for language in ("zh-hans", "en"):
        for username in usernames:
            client.force_login(users[username])
            client.cookies["django_language"] = language
            pages, found = crawl(client)
            assert pages > 2, f"{username} reaches nothing from the landing page"
            if found:
                problems[(username, language)] = found
            client.logout()
    return problems


def test_every_role_reaches_only_pages_that_work_open_and_published(client):
    rounds = load_demo_year()
    assert crawl_as(client, BUREAU) == {}  # every round open: grids to fill, no ranking for staff yet
    for round_ in rounds.values():
        publish_by_actions(round_)
    assert crawl_as(client, ROLES) == {}


def test_the_table_check_catches_a_missing_cell():
    page = Page()
    page.feed("<table><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead>"
              "<tbody><tr><td colspan=2>x</td><td>y</td></tr><tr><td>x</td><td>y</td></tr></tbody></table>")
    assert misaligned(page.tables) == ["table 1, row 3: 2 cells under 3 headers"]
