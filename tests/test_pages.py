"""Desk pages on a long ledger: a bounded number of queries, long notes cut, and a grid form that never guesses."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.actions.ledger import do_import_ledger, do_record_entry
from kaohe.desk.sheets import ROWS_SHOWN
from kaohe.models import LedgerEntry, ScoreSheet
from kaohe.services.signatures import sheet_content

pytestmark = pytest.mark.django_db

LONG_NOTE = "长备注" * 3334  # 10,002 characters


def add_rows(scheme, count: int, start: int = 0, unit: str = "城关镇", rule: str = "8.1.a") -> None:
    lines = ["unit,rule,quantity,points,date,note"] + [
        f"{unit},{rule},1,,2026-{1 + n % 12:02d}-{1 + n % 28:02d},第{n}行备注" for n in range(start, start + count)]
    do_import_ledger(("\n".join(lines) + "\n").encode("utf-8"), f"rows-{start}.csv", scheme, acting_user=None)


def sheet_of(round_, section: str = "caitong", unit: str = "城关镇") -> ScoreSheet:
    return ScoreSheet.objects.get(round=round_, section__code=section, unit__name=unit)


def queries_for(client, url: str) -> tuple[int, object]:
    client.get(url)  # anything done once per process is not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


# ------------------------------------------------------------------ the sheet page: O(rows shown)

def test_the_sheet_page_costs_the_same_queries_for_10_rows_and_300(client, round_, people):
    sheet = sheet_of(round_)
    url = reverse("kaohe:sheet", args=[sheet.pk])
    client.force_login(people["head"])
    add_rows(round_.scheme, 10)
    few, response = queries_for(client, url)
    assert response.content.decode().count("行备注") == 10
    add_rows(round_.scheme, 290, start=10)
    many, response = queries_for(client, url)
    assert many == few
    page = response.content.decode(errors="replace")
    assert page.count("行备注") == ROWS_SHOWN  # the first rows only, then the count and the way to the rest
    ledger = (f"{reverse('kaohe:ledger')}?scheme={round_.scheme.code}&amp;unit=%E5%9F%8E%E5%85%B3%E9%95%87"
              f"&amp;rule=8.1.a")
    assert ledger in page and "300" in page


def test_the_sheet_page_shows_the_scores_the_head_signs(client, round_, people):
    add_rows(round_.scheme, 40)
    add_rows(round_.scheme, 3, start=100, rule="8.5.a")
    sheet = sheet_of(round_)
    client.force_login(people["head"])
    response = client.get(reverse("kaohe:sheet", args=[sheet.pk]))
    signed = sheet_content(sheet)
    shown = response.context["content"]
    assert shown["total"] == signed["total"]
    assert {i["code"]: i["score"] for i in shown["items"]} == {c: i["score"] for c, i in signed["items"].items()}
    lines = {line["rule"]: line for item in shown["items"] for line in item["lines"] if line["rule"]}
    assert lines["8.1.a"]["count"] == 40 and len(lines["8.1.a"]["rows"]) == ROWS_SHOWN and lines["8.1.a"]["more"]
    assert lines["8.5.a"]["count"] == 3 and not lines["8.5.a"]["more"]
    signed_rows = [r["id"] for line in signed["items"]["8.1"]["lines"] if line["rule"] == "8.1.a"
                   for r in line["rows"]]
    assert [r["id"] for r in lines["8.1.a"]["rows"]] == signed_rows[:ROWS_SHOWN]  # the same rows, in order


def test_evidence_is_shown_beside_its_row(client, round_, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "1",
                                                  "date": "2026-03-01", "note": "迟报"},
                            files=[SimpleUploadedFile("报表.pdf", b"%PDF-1.4 ok")], acting_user=people["staff"])
    client.force_login(people["head"])
    page = client.get(reverse("kaohe:sheet", args=[sheet_of(round_).pk])).content.decode()
    assert f'href="{reverse("kaohe:evidence", args=[entry.evidence.get().pk])}">📎报表.pdf</a>' in page


# ------------------------------------------------------------------ long notes

def test_a_long_note_is_cut_on_the_ledger_and_the_sheet(client, round_, people):
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "1", "date": "2026-03-01",
                                          "note": LONG_NOTE}, acting_user=people["staff"])
    client.force_login(people["head"])
    for url in (reverse("kaohe:ledger") + f"?scheme={round_.scheme.code}",
                reverse("kaohe:sheet", args=[sheet_of(round_).pk])):
        page = client.get(url).content.decode()
        summary = page.index('<details class="note"><summary>')
        assert page.count(LONG_NOTE) == 1 and page.index(LONG_NOTE) > summary  # whole only inside "more"
        assert "长备注长备注" in page[summary:page.index("</summary>", summary)]


# ------------------------------------------------------------------ grid form hardening

def grid_data(sheet, rule, amount, note, version=None):
    return {f"version-{sheet.pk}": sheet.version if version is None else version,
            f"amount-{sheet.pk}-{rule.pk}": amount, f"note-{sheet.pk}-{rule.pk}": note}


@pytest.fixture
def safety(round_, people, client):
    client.force_login(people["staff2"])
    sheet = ScoreSheet.objects.get(round=round_, section__code="anquan", unit__name="城关镇")
    rule = round_.scheme.rules.get(code="7.a")
    return sheet, rule, reverse("kaohe:grid", args=[round_.pk, "anquan"])


@pytest.fixture
def stored(client, safety):
    """A stored -3 on 城关镇's 7.a; the sheet as it is now."""
    sheet, rule, url = safety
    assert client.post(url, grid_data(sheet, rule, "-3", "台帐缺")).status_code == 302
    sheet.refresh_from_db()
    return sheet


def ledger_state():
    return list(LedgerEntry.objects.order_by("id").values_list("id", "points", "reverses_id"))


@pytest.mark.parametrize("version", [None, "abc", "", "1.0", "-1"])
def test_a_grid_post_without_a_usable_version_is_refused_and_keeps_the_input(client, safety, version):
    sheet, rule, url = safety
    data = grid_data(sheet, rule, "-5", "第二次")
    if version is None:
        del data[f"version-{sheet.pk}"]
    else:
        data[f"version-{sheet.pk}"] = version
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "城关镇 was saved by someone else meanwhile" in page
    assert 'value="-5"' in page and 'value="第二次"' in page
    assert not LedgerEntry.objects.exists()


def test_a_missing_amount_field_does_not_reverse_the_stored_amount(client, safety, stored):
    sheet, rule, url = safety
    before = ledger_state()
    data = grid_data(stored, rule, "", "改个理由")
    del data[f"amount-{sheet.pk}-{rule.pk}"]
    assert client.post(url, data).status_code == 302
    data = {f"version-{sheet.pk}": stored.version}  # the version alone: nothing posted, nothing changes
    assert client.post(url, data).status_code == 302
    assert ledger_state() == before


def test_an_empty_amount_keeps_the_stored_one_and_an_explicit_zero_removes_it(client, safety, stored):
    _sheet, rule, url = safety
    before = ledger_state()
    assert client.post(url, grid_data(stored, rule, "", "台帐缺")).status_code == 302
    assert client.post(url, grid_data(stored, rule, "  ", "")).status_code == 302
    assert ledger_state() == before
    assert client.post(url, grid_data(stored, rule, "0", "已整改")).status_code == 302
    assert sum(e.points for e in LedgerEntry.objects.all()) == 0  # the -3 is reversed, as asked


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "1e30", "-1e30", "abc",
                                   "-1.00001", "1" * 5000])
def test_a_number_that_is_not_an_amount_gets_an_inline_error_on_save(client, safety, stored, typed):
    sheet, rule, url = safety
    before = ledger_state()
    response = client.post(url, grid_data(stored, rule, typed, "理由"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "cell-error" in page and "Nothing was saved" in page
    error = page.split(f'id="error-{sheet.pk}-{rule.pk}">', 1)[1].split("</span>", 1)[0]
    assert error.strip()
    assert ledger_state() == before


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "-Infinity", "1e30", "abc"])
def test_a_number_that_is_not_an_amount_gets_an_inline_error_in_the_preview(client, safety, typed):
    sheet, rule, url = safety
    response = client.post(url + "preview/", grid_data(sheet, rule, typed, "x"))
    assert response.status_code == 200
    data = response.json()
    assert data["errors"][f"{sheet.pk}-{rule.pk}"]
    assert data["units"][str(sheet.pk)]["items"]["7"] == "8"  # not applied
    assert not LedgerEntry.objects.exists()


def test_the_preview_leaves_an_empty_amount_as_stored(client, safety, stored):
    sheet, rule, url = safety
    data = client.post(url + "preview/", grid_data(stored, rule, "", "")).json()
    assert data["errors"] == {} and data["units"][str(sheet.pk)]["items"]["7"] == "5"
    assert LedgerEntry.objects.get().points == Decimal(-3)
