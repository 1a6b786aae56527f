"""The ranking report in Chromium: the ECharts bar chart is drawn (one SVG bar per unit), the table sorts by
a header click, and the XLSX export downloads and opens with the page's rows."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kaohe.actions.ledger import do_record_entry

from ..conftest import fresh
from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_ranking_report_draws_its_chart_sorts_and_exports(new_page, people, round_, tmp_path):
    staff = fresh(people["staff"])
    # 城关镇 loses 1 (8.1.a, 2 × −0.5) and 东山镇 3 (8.4.a): both fall behind the two clean towns
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-02-01"},
                    acting_user=staff)
    do_record_entry(round_.scheme, cells={"unit": "东山镇", "rule": "8.4.a", "points": "-3", "date": "2026-03-01",
                                          "note": "台帐不全"}, acting_user=staff)
    page = login(new_page, "m1")
    page.goto(f"/rounds/{round_.pk}/")
    page.click("#report-link-ranking")
    expect(page.locator("#report-table tbody tr")).to_have_count(6)
    # ECharts' SVG renderer: each bar is a path filled with its group's colour (axes and labels are not filled
    # with a "#rrggbb" colour), so the drawn bars are countable, and agree with the chart instance's model.
    expect(page.locator("#report-chart svg")).to_be_visible()
    drawn = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('report-chart'));
        const option = chart.getOption();
        return {bars: option.series[0].data.length, type: option.series[0].type,
                units: option.xAxis[0].data, bars_drawn: Array.from(document.querySelectorAll('#report-chart svg path'))
                    .map(p => p.getAttribute('fill')).filter(fill => /^#/.test(fill || ''))};
    }""")
    assert drawn["type"] == "bar" and drawn["bars"] == 6
    assert len(drawn["bars_drawn"]) == 6 and len(set(drawn["bars_drawn"])) == 3  # six units, three groups
    assert drawn["units"][-2:] == ["城关镇", "东山镇"]  # groups in turn; the towns by rank, these two last

    # a click on the total's header sorts ascending: 东山镇 (lost most) first
    page.locator("#report-table thead th").nth(3).click()
    expect(page.locator("#report-table tbody tr").first.locator("td").nth(2)).to_have_text("东山镇")

    page.select_option("#report-filters select[name=group]", "town")
    page.click("#report-filters button[type=submit]")
    expect(page.locator("#report-table tbody tr")).to_have_count(4)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    target = tmp_path / "ranking.xlsx"
    download.value.save_as(target)
    sheet = load_workbook(target).active
    assert sheet["A1"].value.endswith("筛选条件: 组别: 镇企业服务中心 (town)")
    shown = [page.locator("#report-table tbody tr").nth(i).locator("td").nth(2).inner_text() for i in range(4)]
    assert [row[2].value for row in sheet.iter_rows(min_row=3)] == shown
