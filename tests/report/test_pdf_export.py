"""Reports on paper (the print layer's sandbox and WeasyPrint), read back with pdftotext; CSV in GB18030 from
every interface; and text that a spreadsheet would run as a formula neutralised in every file of every report."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kaohe.report.base import LINK, TEXT
from kaohe.report.export import as_csv, as_xlsx, export
from kaohe.report.registry import REPORTS, get_report
from kaohe.report.scores import FORMULA_STARTS
from tests.api.conftest import api  # noqa: F401  (a client with the user's API token)
from tests.conftest import fresh
from tests.printing.helpers import pdf_text, squeeze


def test_a_filtered_ledger_detail_on_paper(recorded):
    with translation.override("en"):
        result = get_report("ledger_detail").run(recorded, {"unit": "东山镇"})
        result.meta["round"] = recorded.name
        text = squeeze(pdf_text(export(result, "pdf")))
    assert "Ledgerdetail" in text and squeeze(recorded.name) in text
    assert "unit:东山镇" in text  # the filter used
    # 东山镇's two rows: 8.1.a once (−0.5) on 2026-03-05; 8.4.a −3 on 2026-06-01 with its note
    for row in result.rows:
        assert all(squeeze(value) in text for value in (
            row["unit"], row["section"], row["rule"], row["date"].isoformat(), str(row["points"].normalize())))
    assert [r["rule"] for r in result.rows] == ["8.1.a", "8.4.a"]
    assert "-0.5" in text and "-3" in text and "台帐不全" in text
    assert "城关镇" not in text
    assert "2rows" in text  # the summary


def test_the_consistency_alerts_on_paper(recorded):
    with translation.override("en"):
        result = get_report("consistency").run(recorded, {"section": "caitong"})
        text = squeeze(pdf_text(export(result, "pdf")))
    # The four rows of ``recorded``: 东山镇's 8.4.a −3 has no evidence; no other alert in 财统科, as 西河镇,
    # 南湖镇, 开发区 and 县机械厂 have no row from it.
    assert "section:财务统计科(caitong)" in text  # the filter used, by name
    assert "-3pointswithnoevidenceattached" in text
    for town in ("西河镇", "南湖镇", "开发区", "县机械厂"):
        assert squeeze(f"no ledger row from 财务统计科 for {town} in the period") in text
    assert "/ledger/" not in text  # links are for the Desk, not for paper


def test_the_ranking_prints_its_chart_as_svg_with_one_bar_per_unit(recorded):
    from kaohe.printing.report_sheet import sheet_html
    from kaohe.report.pdf import context

    result = get_report("ranking").run(recorded, {"group": "town"})
    html = sheet_html(context(result))
    assert html.count("<rect ") == 4  # the four towns
    with translation.override("en"):
        result = get_report("ranking").run(recorded, {"group": "town"})
        text = squeeze(pdf_text(export(result, "pdf")))
    assert "Totalspergroup" in text  # the chart's title, drawn as SVG text
    for row in result.rows:
        assert row["unit"] in text


def test_pdf_from_the_desk_the_api_and_the_command(client, api, recorded, people, tmp_path):  # noqa: F811
    client.force_login(people["staff"])
    page = client.get(f"{reverse('kaohe:report', args=['ledger_detail'])}?round={recorded.pk}&unit=城关镇&format=pdf")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert page["Content-Disposition"].endswith('.pdf"')
    assert "8.5.a" in pdf_text(page.content) and "东山镇" not in pdf_text(page.content)
    answer = api(people["collector"]).get(f"/api/v1/reports/progress/?round={recorded.pk}&export=pdf&section=caitong")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert all(town in pdf_text(answer.content) for town in ("城关镇", "县机械厂"))
    out = io.StringIO()
    call_command("report", "deduction_causes", "--round", recorded.name, "--format", "pdf",
                 "--out", str(tmp_path / "causes.pdf"), stdout=out)
    text = squeeze(pdf_text((tmp_path / "causes.pdf").read_bytes()))
    assert "8.4.a" in text and "8.1.a" in text and "东山镇(3)" in text


def test_csv_in_gb18030_from_the_desk_and_the_api(client, api, recorded, people):  # noqa: F811
    client.force_login(people["staff"])
    page = client.get(f"{reverse('kaohe:report', args=['ledger_detail'])}?round={recorded.pk}")
    assert 'id="export-csv-gb18030"' in page.content.decode() and 'id="export-pdf"' in page.content.decode()
    data = client.get(f"{reverse('kaohe:report', args=['ledger_detail'])}?round={recorded.pk}&format=csv"
                      "&encoding=gb18030")
    assert data["Content-Type"] == "text/csv; charset=gb18030" and not data.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.content.decode("gb18030"))))
    assert [r[1] for r in rows[1:]] == ["城关镇", "东山镇", "城关镇", "东山镇"]
    answer = api(people["collector"]).get(f"/api/v1/reports/ledger_detail/?round={recorded.pk}&export=csv"
                                          "&encoding=gb18030")
    assert answer.content.decode("gb18030").splitlines()[1:] == data.content.decode("gb18030").splitlines()[1:]
    bad = api(people["collector"]).get(f"/api/v1/reports/ledger_detail/?round={recorded.pk}&export=csv&encoding=latin1")
    assert bad.status_code == 400


HOSTILE_UNIT = "=1+2镇"
HOSTILE_NOTES = ["+1 补录", "-扣分说明", "@所有人", "=HYPERLINK(\"http://x\")"]


@pytest.fixture
def hostile(people, town):
    """A unit whose name and a row's notes start with = + - @, in a round of its own."""
    from kaohe.actions.ledger import do_record_entry
    from kaohe.actions.rounds import do_open_round
    from kaohe.models import Unit, UnitGroup

    Unit.objects.create(name=HOSTILE_UNIT, group=UnitGroup.objects.get(code="town"))
    round_ = do_open_round(town, name="公式", acting_user=people["admin"])
    for n, note in enumerate(HOSTILE_NOTES, start=1):
        do_record_entry(town, cells={"unit": HOSTILE_UNIT, "rule": "8.1.a", "quantity": "1",
                                     "date": f"2026-02-0{n}", "note": note}, acting_user=fresh(people["staff"]))
    return round_


def text_cells(result, values):
    """The cells of text columns, in a file's rows read back (header and filter rows left out)."""
    kinds = [c.type for c in result.columns]
    return [value for row in values for value, kind in zip(row, kinds, strict=True)
            if kind in (TEXT, LINK) and value]


@pytest.mark.parametrize("code", sorted(REPORTS))
def test_no_text_cell_of_any_report_runs_as_a_formula(hostile, code):
    report = get_report(code)
    if not report.applies_to(hostile.scheme):
        pytest.skip(f"{code} is not about a points scheme like the hostile round's")
    result = report.run(hostile)
    result.meta["round"] = hostile.name
    dangerous = [str(v) for v in text_cells(result, result.values()) if str(v).startswith(FORMULA_STARTS)]
    read = list(csv.reader(io.StringIO(as_csv(result).decode("utf-8-sig"))))
    assert not [c for c in text_cells(result, read[1:]) if c.startswith(FORMULA_STARTS)]
    assert all(f"'{v}" in text_cells(result, read[1:]) for v in dangerous)
    sheet = load_workbook(io.BytesIO(as_xlsx(result))).active
    written = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert not [c for c in text_cells(result, written) if str(c).startswith(FORMULA_STARTS)]
    assert all(f"'{v}" in text_cells(result, written) for v in dangerous)
    printed = squeeze(pdf_text(export(result, "pdf")))
    for value in dangerous:
        assert squeeze(f"'{value}") in printed
    if code == "ledger_detail":  # the four notes and the unit, each at the start of its cell
        assert sorted(dangerous) == sorted([HOSTILE_UNIT] * 4 + HOSTILE_NOTES)
    if code in ("ranking", "progress"):
        assert HOSTILE_UNIT in dangerous
        assert not re.search(r"(?<!')=1\+2镇", printed)


def test_a_long_report_prints_its_first_rows_and_says_so(recorded, monkeypatch):
    from kaohe.report import pdf

    monkeypatch.setattr(pdf, "MOST_ROWS", 3)
    with translation.override("en"):
        result = get_report("ledger_detail").run(recorded)
        text = squeeze(pdf_text(export(result, "pdf")))
    assert "Thefirst3rowsof4" in text
    assert "8.5.a" in text and "8.4.a" not in text  # the fourth row (东山镇's 8.4.a, June) is left off
