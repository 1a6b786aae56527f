"""Importing ledger rows in Chromium: the template downloads and opens, a file with a bad row is previewed with
that cell marked and cannot be confirmed, and the corrected file is written on confirmation."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kaohe.models import LedgerEntry

from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)
HEADER = "unit,rule,quantity,points,date,note\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REDIS_URL = ""


def test_upload_preview_confirm(new_page, people, town, tmp_path):
    page = login(new_page, "staff")
    page.click("#nav-imports")
    page.click("#import-ledger")
    with page.expect_download() as download:
        page.click("#download-template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert [c.value for c in load_workbook(template)["ledger"][1]] == ["unit", "rule", "date", "quantity", "points",
                                                                         "note"]

    bad = tmp_path / "bad.csv"  # line 3: 8.4.a takes −4 … 0
    bad.write_text(HEADER + "城关镇,8.1.a,1,,2026-03-01,迟报\n东山镇,8.4.a,1,-9,2026-03-02,台帐不全\n"
                   "西河镇,8.1.a,2,,2026-03-03,漏报\n", encoding="gb18030")
    page.set_input_files("#file", str(bad))
    page.click("#upload")
    expect(page.locator("#problems")).to_be_visible()
    marked = page.locator("tr.bad-row td.bad-cell")
    expect(marked).to_have_count(1)
    assert marked.get_attribute("data-column") == "points"
    assert page.locator("tr.bad-row").get_attribute("data-line") == "3"
    expect(page.locator("#preview-rows tr[data-line]")).to_have_count(3)
    expect(page.locator("#confirm")).to_have_count(0)
    assert LedgerEntry.objects.count() == 0

    page.click("text=上传其他文件")
    good = tmp_path / "good.csv"
    good.write_text(bad.read_text(encoding="gb18030").replace(",-9,", ",-3,"), encoding="utf-8-sig")
    page.set_input_files("#file", str(good))
    page.click("#upload")
    expect(page.locator("#ready")).to_be_visible()
    expect(page.locator("tr.bad-row")).to_have_count(0)
    assert LedgerEntry.objects.count() == 0
    page.click("#confirm")
    expect(page.locator("#imported")).to_be_visible()
    assert sorted(LedgerEntry.objects.values_list("unit__name", "rule__code", "quantity", "points")) == [
        ("东山镇", "8.4.a", 1, -3), ("城关镇", "8.1.a", 1, None), ("西河镇", "8.1.a", 2, None)]
