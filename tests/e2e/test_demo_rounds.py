"""Every shipped scheme's demo round, from open to published, through the pages only, as each role would:
staff submit every section's sheets, heads sign them, the collector collects, two meeting members decide,
the collector publishes; then the collector opens a unit's result and the assessed unit (where it has a login)
finds its own result on its landing page."""

import re

import pytest
from playwright.sync_api import expect

from kaohe.management.commands.load_demo import DEMO_PASSWORD
from kaohe.models import Round

from .demo import load_demo_year

pytestmark = pytest.mark.django_db(transaction=True)

# family → the login of an assessed unit of its demo, and that unit's name
ASSESSED = {"town": ("chengguan", "城关镇"), "employee": ("zhangsan", "张三"), "mbo": ("zhangwei", "张伟"),
            "dept_kpi": (None, "销售部"), "project": (None, "企业数字化转型服务项目"),
            "centre": (None, "城关镇企业综合服务中心")}


def login(new_page, username):
    page = new_page()
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login")
    expect(page.locator("header.top")).to_be_visible()
    return page


@pytest.mark.parametrize("family", list(ASSESSED))
def test_a_demo_round_goes_from_open_to_published_in_the_pages(new_page, family):
    round_ = load_demo_year(family)[family]
    sections = sorted(set(round_.sheets.values_list("section__code", flat=True)))

    staff, head = login(new_page, "jingban"), login(new_page, "fenguan")
    for code in sections:
        staff.goto(f"/rounds/{round_.pk}/sections/{code}/")
        staff.click("#submit-all")
        expect(staff.locator(".msg.success")).to_be_visible()
        expect(staff.locator(".msg.error")).to_have_count(0)
    sheet = round_.sheets.order_by("id").first()
    head.goto(f"/sheets/{sheet.pk}/")  # a submitted sheet opens for its head, with what it covers
    expect(head.locator("#sheet-state")).to_have_text("已提交")
    for code in sections:
        head.goto(f"/rounds/{round_.pk}/sections/{code}/")
        head.click("#sign-all")
        expect(head.locator(".msg.success")).to_be_visible()
        expect(head.locator(".msg.error")).to_have_count(0)
    assert not round_.sheets.exclude(state="signed").exists()

    collector = login(new_page, "zhidao")
    collector.goto(f"/rounds/{round_.pk}/")
    collector.click("#round-collect")
    expect(collector.locator("#round-state")).to_have_text("已汇总")
    for member in ("huiyi1", "huiyi2"):
        meeting = login(new_page, member)
        meeting.goto(f"/rounds/{round_.pk}/")
        if meeting.locator("textarea[name=resolution]").count():
            meeting.fill("textarea[name=resolution]", "同意考核结果")
            meeting.fill("input[name=meeting_date]", "2027-01-08")
        meeting.click("#round-decide")
        expect(meeting.locator(".msg.success")).to_be_visible()
    expect(meeting.locator("#round-state")).to_have_text("已审定")
    collector.goto(f"/rounds/{round_.pk}/")
    collector.click("#round-publish")
    expect(collector.locator("#round-state")).to_have_text("已公布")
    assert Round.objects.get(pk=round_.pk).published

    username, unit_name = ASSESSED[family]
    unit = round_.sheets.get(unit__name=unit_name, section__code=sections[0]).unit
    collector.click(f"#unit-result-{unit.pk}")
    expect(collector.locator("h1")).to_contain_text(unit_name)
    if username:
        own = login(new_page, username)
        links = own.locator("a[id^=result-]")
        expect(links).to_have_count(1)  # this round only: no other scheme's round on its landing page
        links.first.click()
        expect(own.locator("h1")).to_contain_text(unit_name)
        expect(own.locator("#total")).to_have_text(re.compile(r"\d"))
