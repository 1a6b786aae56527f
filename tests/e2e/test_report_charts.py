"""The new report charts drawn by ECharts in Chromium, as SVG, counted in the page: the matrix heatmap (one
cell per unit and item where points were lost), the ranking's radar for one unit (its polygon and its group's)
and the at-risk line for one unit (a point per month)."""

import pytest
from playwright.sync_api import expect

from kaohe.actions.ledger import do_record_entry

from ..conftest import fresh
from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)

# What the SVG renderer drew, by tag, fill and stroke: heatmap cells carry the white border reports.js gives
# them; a radar's polygons are unfilled paths stroked in their series' colour, its points filled ones.
DRAWN = """() => { const out = {}; document.querySelectorAll('#report-chart svg path').forEach(e => {
  const k = 'fill=' + e.getAttribute('fill') + ' stroke=' + e.getAttribute('stroke');
  out[k] = (out[k] || 0) + 1; }); return out; }"""
CELL = "stroke=#ffffff"
UNIT, AVERAGE = "#3b6ea5", "#c0504d"  # the first two colours of reports.js's palette


def record(round_, people):
    """城关镇 loses 1 on 8.1 (8.1.a ×2) and 东山镇 3 on 8.4; with no economic figures every unit loses 8 on 1.2."""
    staff = fresh(people["staff"])
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-02-01"},
                    acting_user=staff)
    do_record_entry(round_.scheme, cells={"unit": "东山镇", "rule": "8.4.a", "points": "-3", "date": "2026-03-01",
                                          "note": "台帐不全"}, acting_user=staff)


def cells(drawn):
    return sum(n for key, n in drawn.items() if key.endswith(CELL))


def test_the_matrix_draws_a_heatmap_cell_where_points_were_lost(new_page, people, round_):
    record(round_, people)
    page = login(new_page, "m1")
    page.goto(f"/rounds/{round_.pk}/")
    page.click("#report-link-matrix")
    expect(page.locator("#report-table tbody tr")).to_have_count(6 + 1)  # six units and the totals
    expect(page.locator("#report-chart svg")).to_be_visible()
    assert cells(page.evaluate(DRAWN)) == 6 + 2  # 1.2 for all six units, 8.1 for 城关镇, 8.4 for 东山镇
    model = page.evaluate("""() => { const o = echarts.getInstanceByDom(document.getElementById('report-chart'))
        .getOption(); return {type: o.series[0].type, units: o.yAxis[0].data, cells: o.series[0].data}; }""")
    assert model["type"] == "heatmap" and len(model["cells"]) == 8
    shown = page.locator("#report-table tbody tr td:nth-child(2)").all_inner_texts()[:6]
    assert model["units"] == shown  # the heatmap's rows are the table's, in its order
    # 财统科's items only: 1.2 (经济科's) goes, the two cells of 8.1 and 8.4 stay
    page.select_option("#report-filters select[name=section]", "caitong")
    page.click("#report-filters button[type=submit]")
    expect(page.locator("#report-table thead th")).to_have_count(2 + 3 + 1)  # group, unit, 8.1 8.4 8.5, total
    assert cells(page.evaluate(DRAWN)) == 2


def test_one_unit_gets_a_radar_on_the_ranking_and_a_line_on_at_risk(new_page, people, round_):
    record(round_, people)
    page = login(new_page, "m1")
    page.goto(f"/reports/ranking/?round={round_.pk}")
    page.select_option("#report-filters select[name=unit]", "城关镇")
    page.click("#report-filters button[type=submit]")
    expect(page.locator("#report-table tbody tr")).to_have_count(1)
    expect(page.locator("#report-chart svg")).to_be_visible()
    drawn = page.evaluate(DRAWN)
    # one polygon for the unit, one for its group's average, each with a point on every one of the 12 categories
    # (and one more in the legend)
    assert drawn[f"fill=none stroke={UNIT}"] == 1 and drawn[f"fill=none stroke={AVERAGE}"] == 1
    assert drawn[f"fill={UNIT} stroke=null"] == 12 + 1 and drawn[f"fill={AVERAGE} stroke=null"] == 12 + 1

    page.goto(f"/reports/at_risk/?round={round_.pk}&unit=城关镇&as_of=6")
    expect(page.locator("#report-table tbody tr")).to_have_count(5)  # its five economic indicators
    expect(page.locator("#report-chart svg")).to_be_visible()
    drawn = page.evaluate(DRAWN)
    assert drawn[f"fill=#fff stroke={UNIT}"] == 12  # a point for each month
    values = page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('report-chart'))
        .getOption().series[0].data""")
    # no figures: 92 in January, 91 from February (8.1.a −1), every month after alike
    assert values == [92] + [91] * 11
