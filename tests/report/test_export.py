"""Each export opened again (csv / openpyxl / json) and compared with the report's own rows."""

import csv
import io
import json
from datetime import datetime
from decimal import Decimal

from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from kaohe.report.export import as_csv, as_json, as_xlsx
from kaohe.report.registry import get_report


def test_csv_has_a_bom_and_the_report_rows_with_formulas_neutralised(recorded):
    result = get_report("ledger_detail").run(recorded)
    data = as_csv(result)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4 and len(rows[0]) == len(result.columns)
    keys = [c.key for c in result.columns]
    body = [dict(zip(keys, row, strict=True)) for row in rows[1:]]
    assert [(r["unit"], r["rule"], r["date"], r["points"]) for r in body] == [
        ("城关镇", "8.1.a", "2026-02-01", "-1"), ("东山镇", "8.1.a", "2026-03-05", "-0.5"),
        ("城关镇", "8.5.a", "2026-04-10", "-1"), ("东山镇", "8.4.a", "2026-06-01", "-3"),
    ]
    assert body[2]["note"] == "'=SUM(A1)"  # a note that would run as a formula in Excel/WPS


def test_csv_in_gb18030(recorded):
    data = as_csv(get_report("ledger_detail").run(recorded), "gb18030")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "城关镇" in data.decode("gb18030") and "城关镇".encode("gb18030") in data


def test_xlsx_has_typed_cells_a_frozen_header_widths_and_the_filters(recorded):
    with translation.override("zh-hans"):
        result = get_report("ledger_detail").run(recorded, {"unit": "城关镇"})
        result.meta["round"] = recorded.name
        sheet = load_workbook(io.BytesIO(as_xlsx(result))).active
    assert sheet["A1"].value == f"台账明细 · {recorded.name} · 筛选条件: 单位: 城关镇"
    assert sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[2]] == [str(c.label) for c in result.columns]
    keys = [c.key for c in result.columns]
    body = [dict(zip(keys, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
    assert [(r["unit"], r["rule"], r["date"], r["points"], r["quantity"]) for r in body] == [
        ("城关镇", "8.1.a", datetime(2026, 2, 1), -1, 2), ("城关镇", "8.5.a", datetime(2026, 4, 10), -1, 1),
    ]
    assert body[1]["note"] == "'=SUM(A1)"
    points = sheet.cell(row=3, column=keys.index("points") + 1)
    assert points.data_type == "n" and points.number_format == "0.00"  # the scheme's two decimals
    assert sheet.cell(row=3, column=keys.index("date") + 1).is_date
    assert sheet.column_dimensions["E"].width == result.columns[4].width


def test_xlsx_names_the_filters_as_the_pdf_does_in_the_readers_language(recorded):
    with translation.override("en"):
        result = get_report("progress").run(recorded, {"group": "town", "section": "caitong"})
        english = load_workbook(io.BytesIO(as_xlsx(result))).active["A1"].value
        unfiltered = load_workbook(io.BytesIO(as_xlsx(get_report("progress").run(recorded)))).active["A1"].value
    with translation.override("zh-hans"):
        chinese = load_workbook(io.BytesIO(as_xlsx(result))).active["A1"].value
    assert english == "Sheet progress · Filters: group: 镇企业服务中心 (town); section: 财务统计科 (caitong)"
    assert unfiltered == "Sheet progress · Filters: none"
    assert chinese.endswith("筛选条件: 组别: 镇企业服务中心 (town); 科室: 财务统计科 (caitong)")


def test_xlsx_of_the_ranking_matches_its_rows(recorded):
    result = get_report("ranking").run(recorded)
    sheet = load_workbook(io.BytesIO(as_xlsx(result))).active
    totals = {row[2].value: row[3].value for row in sheet.iter_rows(min_row=3)}
    assert totals == {r["unit"]: float(r["total"]) for r in result.rows}


def test_json_round_trips_the_rows(recorded):
    result = get_report("deduction_causes").run(recorded)
    data = json.loads(as_json(result))
    assert [(r["rule"], Decimal(str(r["lost"])), r["rows"]) for r in data["rows"]] == [
        ("8.4.a", Decimal("3"), 1), ("8.1.a", Decimal("1.5"), 2), ("8.5.a", Decimal("1"), 1)]


def test_the_command_writes_each_format(recorded, tmp_path):
    out = io.StringIO()
    target = tmp_path / "ledger.xlsx"
    call_command("report", "ledger_detail", "--round", recorded.name, "--filter", "unit=东山镇",
                 "--format", "xlsx", "--out", str(target), stdout=out)
    sheet = load_workbook(target).active
    assert [row[3].value for row in sheet.iter_rows(min_row=3)] == ["8.1.a", "8.4.a"]
    assert "2 row(s)" in out.getvalue()
    call_command("report", "ranking", "--round", str(recorded.pk), "--format", "csv", "--encoding", "gb18030",
                 "--out", str(tmp_path / "r.csv"), stdout=out)
    assert len((tmp_path / "r.csv").read_bytes().decode("gb18030").splitlines()) == 1 + 6
    call_command("report", "progress", "--round", recorded.name, "--format", "json", "--out",
                 str(tmp_path / "p.json"), stdout=out)
    assert len(json.loads((tmp_path / "p.json").read_text())["rows"]) == recorded.sheets.count()


def test_the_command_refuses_a_bad_filter(recorded, tmp_path):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="rule"):
        call_command("report", "ranking", "--round", recorded.name, "--filter", "rule=8.1.a",
                     "--out", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()
