"""``at_risk`` (序时进度): economic indicators against time-proportional progress, worked out by hand.

城关镇 reports for June (annual target / cumulative actual); each indicator weighs 1.6 and scores
1.6 × min(1, actual / (target × month / 12)), rounded to 2 places. As of June (expected = target / 2):
    output       100 / 40  expected 50   80 %  → 1.28   (veto set: below → at risk)
    revenue      100 / 60  expected 50  100 %  → 1.60
    value_added  120 / 60  expected 60  100 %  → 1.60
    profit        10 / 5   expected 5   100 %  → 1.60
    investment   200 / 50  expected 100  50 %  → 0.80   (not in the veto set: below, but no veto)
1.2 scores 6.88 of 8; its ledger rows to June (conftest: 8.1.a −1, 8.5.a −1) → projected total 96.88.
The other units report nothing: 1.2 scores 0 → 92; 东山镇 also loses 0.5 and 3 → 88.5.
"""

import csv
import io
from decimal import Decimal

import pytest

from kaohe.actions.economy import do_import_economy
from kaohe.refusals import Refused
from kaohe.report.export import as_csv
from kaohe.report.registry import get_report
from kaohe.scoring import AsOf
from tests.conftest import fresh

D = Decimal
FIGURES = "unit,indicator,target,actual\n" + "".join(
    f"城关镇,{code},{target},{actual}\n" for code, target, actual in (
        ("output", 100, 40), ("revenue", 100, 60), ("value_added", 120, 60), ("profit", 10, 5),
        ("investment", 200, 50)))


@pytest.fixture
def reported(recorded, people):
    do_import_economy(FIGURES.encode(), "june.csv", recorded.scheme, AsOf(2026, 6), acting_user=fresh(people["admin"]))
    return recorded


def test_indicators_against_progress_as_of_june(reported):
    result = get_report("at_risk").run(reported, {"as_of": "6", "unit": "城关镇"})
    rows = {r["indicator_code"]: r for r in result.rows}
    assert list(rows) == ["output", "revenue", "value_added", "profit", "investment"]
    assert [(rows[c]["expected"], rows[c]["completion"], rows[c]["points"]) for c in rows] == [
        (D(50), D(80), D("1.28")), (D(50), D(100), D("1.6")), (D(60), D(100), D("1.6")), (D(5), D(100), D("1.6")),
        (D(100), D(50), D("0.8"))]
    assert [c for c in rows if rows[c]["veto_risk"]] == ["output"]
    assert [c for c in rows if rows[c]["in_veto"]] == ["output", "revenue", "value_added", "profit"]
    assert {r["projected_total"] for r in result.rows} == {D("96.88")}
    assert rows["output"]["reported"] == "2026-06" and rows["output"]["target"] == 100


def test_every_unit_with_its_projected_total_and_rank(reported):
    rows = get_report("at_risk").run(reported, {"as_of": "6", "group": "town"}).rows
    assert len(rows) == 4 * 5  # four towns, five indicators each
    totals = {r["unit"]: (r["projected_total"], r["projected_rank"]) for r in rows}
    assert totals == {"城关镇": (D("96.88"), 1), "西河镇": (D(92), 2), "南湖镇": (D(92), 2), "东山镇": (D("88.5"), 4)}
    missing = [r for r in rows if r["unit"] == "东山镇"]
    assert all(r["actual"] is None and r["points"] == 0 and not r["veto_risk"] for r in missing)


def test_at_year_end_every_shortfall_of_the_veto_set_is_marked(reported):
    """December: expected is the whole target, so 城关镇 misses all four veto indicators (and investment)."""
    result = get_report("at_risk").run(reported, {"unit": "城关镇"})  # the round's own month: 12
    rows = {r["indicator_code"]: r for r in result.rows}
    assert [c for c in rows if rows[c]["veto_risk"]] == ["output", "revenue", "value_added", "profit"]
    # 0.64 + 0.96 + 0.8 + 0.8 + 0.4 = 3.6 of 8 → 100 − 4.4 − 2
    assert rows["output"]["projected_total"] == D("93.6")


def test_one_unit_gets_a_line_of_its_projected_total_by_month(reported):
    chart = get_report("at_risk").run(reported, {"as_of": "6", "unit": "城关镇"}).chart
    assert chart["kind"] == "line" and chart["categories"] == [str(m) for m in range(1, 13)] and chart["mark"] == 6
    totals = [D(v) for v in chart["values"]]
    # Jan: no figure yet (−8); Feb: 8.1.a −1; Apr: 8.5.a −1; Jun: the figures count (see the module's note);
    # Jul: expected = target × 7/12 → 1.10 + 1.6 + 1.37 + 1.37 + 0.69 = 6.13; Dec: 3.6 as at year end.
    assert totals[:7] == [D(92), D(91), D(91), D(90), D(90), D("96.88"), D("96.13")]
    assert totals[11] == D("93.6")
    assert get_report("at_risk").run(reported, {"as_of": "6"}).chart["kind"] == "bar"


@pytest.mark.parametrize("month", ["0", "13", "June", "6.5"])
def test_a_month_outside_1_to_12_is_refused(reported, month):
    with pytest.raises(Refused) as refused:
        get_report("at_risk").run(reported, {"as_of": month})
    assert refused.value.code == "bad_filter" and month in str(refused.value)


def test_csv_holds_the_rows(reported):
    result = get_report("at_risk").run(reported, {"as_of": "6", "unit": "城关镇"})
    body = list(csv.reader(io.StringIO(as_csv(result).decode("utf-8-sig"))))
    keys = [c.key for c in result.columns]
    assert body[0] == [str(c.label) for c in result.columns]
    for row, line in zip(result.rows, body[1:], strict=True):
        cells = dict(zip(keys, line, strict=True))
        assert (cells["unit"], D(cells["points"]), D(cells["projected_total"]), cells["veto_risk"]) == (
            row["unit"], row["points"], row["projected_total"], "1" if row["veto_risk"] else "0")


def test_xlsx_holds_the_rows_as_typed_cells(reported):
    from openpyxl import load_workbook

    from kaohe.report.export import as_xlsx

    result = get_report("at_risk").run(reported, {"as_of": "6", "group": "town"})
    sheet = load_workbook(io.BytesIO(as_xlsx(result))).active
    keys = [c.key for c in result.columns]
    read = [dict(zip(keys, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
    assert len(read) == len(result.rows) == 20
    for row, cells in zip(result.rows, read, strict=True):
        assert (cells["unit"], cells["veto_risk"], cells["projected_rank"]) == (
            row["unit"], row["veto_risk"], row["projected_rank"])
        for key in ("target", "expected", "actual", "completion", "points", "projected_total"):
            assert (None if cells[key] is None else D(str(cells[key]))) == row[key]
