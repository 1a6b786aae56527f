"""Every Desk page on a large ledger: p95 per page and its query count, against a bare COUNT(*), in one run.

Builds a fresh SQLite database (never the development one): the town scheme, its demo year and demo
people, then ledger rows up to --rows (60,000) through the real importer — many of them on one town's
财统 sheet, a few with 10,000-character notes — and opens a round. Then, with Django's test Client,
each page is requested as the role that usually opens it: once inside CaptureQueriesContext for the
query count, then --requests times for the timing. The baseline is a bare ``SELECT COUNT(*)`` of the
ledger, so the last column reads "this page costs N ledger counts".
Usage: .venv/bin/python bench/pages.py [--rows 60000] [--requests 20] [--sign]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from _setup import OUT, django_on_bench_db

TARGET_MS = 300
HEAVY_UNIT, HEAVY_RULE = "城关镇", "8.1.a"  # the sheet page under test: 城关镇's 财统 (caitong) sheet


def fresh_database() -> str:
    """A new SQLite file each run: the build below assumes an empty database."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "pages.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_DEBUG", "0")  # as served: no debug cursor, no debug templates
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    return django_on_bench_db("pages")


def ledger_csv(rows: int, units: list[str], rules: list[str], year: int) -> bytes:
    """``rows`` generated ledger rows: a third on the heavy sheet, the rest spread over towns and rules; a few
    with a 10,000-character note, one of them among the first rows the heavy sheet lists."""
    rnd = random.Random(7)
    lines = [["unit", "rule", "quantity", "points", "date", "note"]]
    long_note = "长备注" * 3334  # 10,002 characters
    for n in range(rows):
        if n % 3 == 0:
            unit, rule = HEAVY_UNIT, HEAVY_RULE if n % 9 else "8.5.a"
        else:
            unit, rule = units[rnd.randrange(len(units))], rules[rnd.randrange(len(rules))]
        day = f"{year}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"
        note = f"基准记录{n}"
        if n == 3 or n % 5000 == 0 or n >= rows - 10:  # on the heavy sheet's first rows and the ledger's first page
            note, day = f"{long_note}{n}", (f"{year}-01-01" if n == 3 else day)
        lines.append([unit, rule, "1", "", day, note])
    return ("\n".join(",".join(line) for line in lines) + "\n").encode("utf-8")


def build(total_rows: int, sign: bool) -> dict:
    from django.contrib.auth import get_user_model

    from kaohe.actions.ledger import do_import_ledger
    from kaohe.actions.rounds import do_open_round
    from kaohe.actions.schemes import do_load_scheme
    from kaohe.actions.transitions import do_transition
    from kaohe.management.demo import TOWNS, load_demo, load_demo_people
    from kaohe.models import LedgerEntry, ScoreSheet, Unit

    started = time.perf_counter()
    scheme = do_load_scheme("town", 2026)
    load_demo(scheme)
    load_demo_people("bench-pass-4821x")
    missing = total_rows - LedgerEntry.objects.filter(scheme=scheme).count()
    rules = list(scheme.rules.filter(kind="per_occurrence").values_list("code", flat=True))
    if missing > 0:
        outcome = do_import_ledger(ledger_csv(missing, TOWNS, rules, scheme.year), "bench-pages.csv", scheme,
                                   acting_user=None)
        print(outcome.summary())
    users = get_user_model().objects
    round_ = do_open_round(scheme, name="基准轮次", acting_user=users.get(username="admin"))
    heavy = ScoreSheet.objects.get(round=round_, unit__name=HEAVY_UNIT, section__code="caitong")
    town = Unit.objects.get(name=HEAVY_UNIT)
    rows_on_sheet = LedgerEntry.objects.filter(scheme=scheme, unit=town, rule__indicator__section__code="caitong") \
        .count()
    signature = None
    if sign:  # the heavy sheet submitted and signed: the board then checks every signature it rests on
        do_transition(heavy, "submit", acting_user=users.get(username="jingban"))
        heavy.refresh_from_db()
        do_transition(heavy, "sign", acting_user=users.get(username="fenguan"))
        signature = heavy.signatures.get()
    print(f"built in {time.perf_counter() - started:.1f} s: {LedgerEntry.objects.count():,} ledger rows, "
          f"{rows_on_sheet:,} of them on the sheet page under test{', signed' if sign else ''}", flush=True)
    return {"scheme": scheme, "round": round_, "sheet": heavy, "town": town, "signature": signature}


def pages(built: dict) -> list[tuple[str, str, str]]:
    """(page, role's username, path): every Desk page as its usual role."""
    r, scheme, sheet, town = built["round"], built["scheme"].code, built["sheet"], built["town"]
    return [
        ("inbox · staff", "jingban", "/"),
        ("inbox · head", "fenguan", "/"),
        ("inbox · collector", "zhidao", "/"),
        ("inbox · meeting", "huiyi1", "/"),
        ("inbox · town", "chengguan", "/"),
        ("inbox · observer", "guancha", "/"),
        ("rounds list", "zhidao", "/rounds/"),
        ("open round form", "admin", "/rounds/new/"),
        ("round board", "zhidao", f"/rounds/{r.pk}/"),
        ("ranking", "huiyi1", f"/rounds/{r.pk}/ranking/"),
        ("section grid", "jingban", f"/rounds/{r.pk}/sections/caitong/"),
        ("sheet page", "fenguan", f"/sheets/{sheet.pk}/"),
        ("ledger list", "jingban", f"/ledger/?scheme={scheme}"),
        ("ledger page 40", "jingban", f"/ledger/?scheme={scheme}&page=40"),
        ("ledger unit+rule", "jingban", f"/ledger/?scheme={scheme}&unit={HEAVY_UNIT}&rule={HEAVY_RULE}"),
        ("ledger new", "jingban", f"/ledger/new/?scheme={scheme}"),
        ("unit result", "zhidao", f"/rounds/{r.pk}/units/{town.pk}/"),
        ("ratings I gave", "jingban", "/my/ratings/"),
        ("schemes list", "admin", "/schemes/"),
        ("scheme editor", "admin", f"/schemes/{scheme}/"),
    ] + ([("verify signature", "fenguan", f"/signatures/{built['signature'].pk}/verify/")]
         if built["signature"] else [])


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, -(-len(values) * 95 // 100) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--sign", action="store_true",
                        help="submit and sign the heavy sheet first (the round board then verifies its signature)")
    args = parser.parse_args()
    url = fresh_database()
    built = build(args.rows, args.sign)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kaohe.models import LedgerEntry

    table = LedgerEntry._meta.db_table

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            cursor.fetchone()

    bare()
    base = []
    for _ in range(args.requests * 5):
        start = time.perf_counter()
        bare()
        base.append(time.perf_counter() - start)
    base_p95 = p95(base)

    users = get_user_model().objects
    clients: dict[str, Client] = {}
    print(f"database   {connection.vendor} ({url})")
    print(f"baseline   SELECT COUNT(*) FROM {table}: p95 {base_p95 * 1000:.2f} ms")
    print(f"{'page':20s} {'role':10s} {'status':>6s} {'queries':>7s} {'p50 ms':>8s} {'p95 ms':>8s} "
          f"{'KiB':>6s} {'× count':>8s}")
    slow = []
    for name, username, path in pages(built):
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(users.get(username=username))
        client.get(path)  # warm: templates, caches, the page cache of SQLite
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries)  # now: the next request resets the connection's query log
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        page_p95 = p95(times)
        if page_p95 * 1000 > TARGET_MS or response.status_code != 200:
            slow.append(name)
        print(f"{name:20s} {username:10s} {response.status_code:6d} {count:7d} "
              f"{statistics.median(times) * 1000:8.1f} {page_p95 * 1000:8.1f} {len(response.content) / 1024:6.0f} "
              f"{page_p95 / base_p95:8.0f}", flush=True)
    print(f"target: every page p95 ≤ {TARGET_MS} ms on SQLite, status 200"
          + (f" — missed by: {', '.join(slow)}" if slow else " — met"))


if __name__ == "__main__":
    main()
