"""``matrix``: points lost per unit and item, worked out by hand from the town scheme and the fixture's rows."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaohe.models import Indicator
from kaohe.refusals import Refused
from kaohe.report.export import as_csv, as_xlsx
from kaohe.report.registry import get_report
from tests.conftest import fresh

D = Decimal
# No economic figures are loaded: every unit misses all five indicators of 1.2 and loses its 8 points.
ECONOMY = D(8)


@pytest.fixture
def matrix_round(recorded, people):
    """Beyond conftest's four rows:
    西河镇: 5.a −1 and 5.b at completion 0 (−2 × (1 − 0)) on an item of base 2 floored at 0 → it loses 2, not 3;
    南湖镇: 3.1.c +2 (a bonus) and 3.1.a −1 on one item → it loses 1: a bonus does not hide a deduction.
    """
    from kaohe.actions.ledger import do_record_entry

    staff = fresh(people["staff"])
    for cells in (
        {"unit": "西河镇", "rule": "5.a", "date": "2026-05-01"},
        {"unit": "西河镇", "rule": "5.b", "quantity": "0", "date": "2026-05-02"},
        {"unit": "南湖镇", "rule": "3.1.c", "points": "2", "date": "2026-05-03", "note": "技改超额"},
        {"unit": "南湖镇", "rule": "3.1.a", "date": "2026-05-04"},
    ):
        do_record_entry(recorded.scheme, cells=cells, acting_user=staff)
    return recorded


def by_unit(rows):
    """Rows by unit; the totals row (its label in the reader's language) as "total"."""
    return {"total" if row.get("total_row") else row["unit"]: row for row in rows}


def test_each_unit_loses_per_item_with_totals_per_row_and_column(matrix_round):
    result = get_report("matrix").run(matrix_round)
    leaves = Indicator.objects.filter(scheme=matrix_round.scheme, children__isnull=True).count()
    assert len(result.columns) == 2 + leaves + 1  # group, unit, every scored item, the row's total
    rows = by_unit(result.rows)
    # as the ranking orders them: by group code, then rank (南湖镇 93 with its bonus, 城关镇 and 西河镇 tied at 90)
    assert list(rows) == ["县机械厂", "开发区", "南湖镇", "城关镇", "西河镇", "东山镇", "total"]
    lost = {unit: {k.removeprefix("item_"): v for k, v in row.items() if k.startswith("item_") and v}
            for unit, row in rows.items()}
    assert lost["城关镇"] == {"1.2": ECONOMY, "8.1": D("1"), "8.5": D("1")}
    assert lost["东山镇"] == {"1.2": ECONOMY, "8.1": D("0.5"), "8.4": D("3")}
    assert lost["西河镇"] == {"1.2": ECONOMY, "5": D("2")}
    assert lost["南湖镇"] == {"1.2": ECONOMY, "3.1": D("1")}
    assert lost["开发区"] == lost["县机械厂"] == {"1.2": ECONOMY}
    assert [rows[u]["lost"] for u in ("城关镇", "东山镇", "西河镇", "南湖镇", "开发区")] == [
        D("10"), D("11.5"), D("10"), D("9"), D("8")]
    # the last row adds up each column
    assert lost["total"] == {"1.2": 6 * ECONOMY, "8.1": D("1.5"), "8.5": D("1"), "8.4": D("3"), "5": D("2"),
                             "3.1": D("1")}
    assert rows["total"]["lost"] == 6 * ECONOMY + D("8.5")


def test_the_heatmap_has_a_cell_where_points_were_lost(matrix_round):
    chart = get_report("matrix").run(matrix_round, {"group": "town"}).chart
    assert chart["kind"] == "heatmap" and chart["y"] == ["南湖镇", "城关镇", "西河镇", "东山镇"]
    cells = {(chart["y"][y], chart["x"][x]): D(v) for x, y, v in chart["cells"]}
    assert cells == {
        ("西河镇", "1.2"): ECONOMY, ("西河镇", "5"): D(2), ("南湖镇", "1.2"): ECONOMY, ("南湖镇", "3.1"): D(1),
        ("城关镇", "1.2"): ECONOMY, ("城关镇", "8.1"): D(1), ("城关镇", "8.5"): D(1),
        ("东山镇", "1.2"): ECONOMY, ("东山镇", "8.1"): D("0.5"), ("东山镇", "8.4"): D(3),
    }
    assert len(chart["x_names"]) == len(chart["x"])
    assert chart["x_names"][chart["x"].index("8.4")].startswith("建立财统数据")


def test_a_section_keeps_its_own_items_and_a_group_its_units(matrix_round):
    result = get_report("matrix").run(matrix_round, {"section": "caitong", "group": "town"})
    # 财统科 scores 8.1, 8.4 and 8.5 (8.2 and 8.3 are 经济科's)
    assert [c.key for c in result.columns][2:] == ["item_8.1", "item_8.4", "item_8.5", "lost"]
    rows = by_unit(result.rows)
    assert set(rows) == {"城关镇", "东山镇", "西河镇", "南湖镇", "total"}
    assert rows["城关镇"]["lost"] == D(2) and rows["东山镇"]["lost"] == D("3.5") and rows["西河镇"]["lost"] == 0
    assert rows["total"]["lost"] == D("5.5")


@pytest.mark.parametrize(("filters", "code"), [
    ({"section": "nowhere"}, "bad_filter"), ({"group": "county"}, "bad_filter"), ({"as_of": "6"}, "unknown_filter"),
])
def test_a_bad_filter_is_refused(matrix_round, filters, code):
    with pytest.raises(Refused) as refused:
        get_report("matrix").run(matrix_round, filters)
    assert refused.value.code == code


def test_xlsx_and_csv_hold_the_rows(matrix_round):
    result = get_report("matrix").run(matrix_round, {"group": "town"})
    result.meta["round"] = matrix_round.name
    sheet = load_workbook(io.BytesIO(as_xlsx(result))).active
    assert sheet["A1"].value.endswith(f"{matrix_round.name} · 筛选条件: 组别: 镇企业服务中心 (town)")
    assert [c.value for c in sheet[2]] == [str(c.label) for c in result.columns]
    keys = [c.key for c in result.columns]
    for row, cells in zip(result.rows, sheet.iter_rows(min_row=3), strict=True):
        for key, cell in zip(keys, cells, strict=True):
            if key.startswith("item_") or key == "lost":
                assert cell.data_type == "n" and D(str(cell.value)) == row.get(key, 0)
            else:
                assert cell.value == (row.get(key) or None)
    body = list(csv.reader(io.StringIO(as_csv(result).decode("utf-8-sig"))))[1:]
    assert [(r[1], D(r[-1])) for r in body] == [(row["unit"], row["lost"]) for row in result.rows]
