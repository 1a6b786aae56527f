"""The what-if below the ranking report, in Chromium: the chart is drawn (one SVG bar per unit shown), a ledger row
is ticked off, "recompute" swaps in the comparison without leaving the page and the rank moves, and the scenario
downloads as XLSX that opens with the same ranks. Nothing of it is written."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kaohe.actions.ledger import do_record_entry
from kaohe.models import AuditEvent, LedgerEntry

from ..conftest import fresh
from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_ticking_off_a_row_moves_the_rank_and_the_scenario_exports(new_page, people, round_, tmp_path):
    staff = fresh(people["staff"])
    # 城关镇 loses 1 (8.1.a, 2 × −0.5); 东山镇 loses 3 (8.4.a) and 0.5 (8.1.a): ranks 3 and 4 behind two clean towns
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-02-01"},
                    acting_user=staff)
    do_record_entry(round_.scheme, cells={"unit": "东山镇", "rule": "8.1.a", "quantity": "1", "date": "2026-03-05"},
                    acting_user=staff)
    do_record_entry(round_.scheme, cells={"unit": "东山镇", "rule": "8.4.a", "points": "-3", "date": "2026-03-01",
                                          "note": "台帐不全"}, acting_user=staff)
    deduction = LedgerEntry.objects.get(unit__name="东山镇", rule__code="8.4.a")
    page = login(new_page, "m1")
    written = (LedgerEntry.objects.count(), AuditEvent.objects.count())
    page.goto(f"/reports/ranking/?round={round_.pk}")

    # the chart: one filled SVG bar per unit in the table
    expect(page.locator("#report-chart svg")).to_be_visible()
    shown = page.locator("#report-table tbody tr").count()
    bars = page.evaluate("""() => Array.from(document.querySelectorAll('#report-chart svg path'))
        .map(p => p.getAttribute('fill')).filter(fill => /^#/.test(fill || '')).length""")
    assert shown == 6 and bars == shown

    # tick off 东山镇's −3: it ends at −0.5, ahead of 城关镇's −1 (third), so the two swap
    page.locator('details.whatif-unit[data-unit="东山镇"] > summary').click()
    page.check(f"#whatif-exclude-{deduction.pk}")
    url = page.url
    page.click("#whatif-recompute")
    table = page.locator("#whatif-table")
    expect(table).to_be_visible()
    assert page.url == url  # the table was swapped in; the page was not left
    dongshan, chengguan = table.locator('tr[data-unit="东山镇"]'), table.locator('tr[data-unit="城关镇"]')
    # columns: group, unit, real rank, total, veto, prize, scenario rank, total, veto, prize, move
    expect(dongshan.locator("td").nth(2)).to_have_text("4")
    expect(dongshan.locator("td").nth(6)).to_have_text("3")
    expect(dongshan.locator("td.whatif-rank")).to_have_class("n whatif-rank move-up")
    expect(chengguan.locator("td").nth(6)).to_have_text("4")
    expect(chengguan.locator("td.whatif-rank")).to_have_class("n whatif-rank move-down")
    expect(dongshan.locator(".whatif-move .up")).to_have_count(1)
    expect(chengguan.locator("td").nth(9)).to_have_class("flag")  # its third prize is lost in the scenario
    real_total = float(dongshan.locator("td").nth(3).inner_text())
    assert float(dongshan.locator("td").nth(7).inner_text()) == real_total + 3

    with page.expect_download() as download:
        page.click("#whatif-export-xlsx")
    target = tmp_path / "whatif.xlsx"
    download.value.save_as(target)
    ranking, changes = load_workbook(target).worksheets
    ranks = {row[1]: (row[2], row[6]) for row in ranking.iter_rows(min_row=3, values_only=True)}
    assert ranks["东山镇"] == (4, 3) and ranks["城关镇"] == (3, 4)
    assert [(row[1], row[2], row[3]) for row in changes.iter_rows(min_row=3, values_only=True)] == [
        ("东山镇", "8.4.a", deduction.pk)]
    assert (LedgerEntry.objects.count(), AuditEvent.objects.count()) == written
