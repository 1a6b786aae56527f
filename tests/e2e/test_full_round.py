"""One full round of the town scheme in a real browser: from login to the result a town sees."""

import re

import pytest
from playwright.sync_api import expect

from kaohe.models import Round, Section

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(new_page, username):
    page = new_page()
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login")
    expect(page.locator("header.top")).to_be_visible()
    return page


def test_a_full_round_from_login_to_the_published_result(new_page, people, town):
    admin = login(new_page, "admin")
    admin.goto("/rounds/new/")
    admin.select_option("select[name=scheme]", label=str(town))
    admin.fill("input[name=name]", "2026年度考核")
    admin.click("#open-round")
    expect(admin.locator("#round-state")).to_have_text("进行中")
    round_ = Round.objects.get()

    staff = login(new_page, "staff")
    staff.goto(f"/rounds/{round_.pk}/sections/caitong/")
    sheet = round_.sheets.get(section__code="caitong", unit__name="城关镇")
    rule = town.rules.get(code="8.4.a")
    staff.fill(f"#amount-{sheet.pk}-{rule.pk}", "-1.5")
    staff.fill(f"#note-{sheet.pk}-{rule.pk}", "数据库未及时更新")
    # the engine's live result, before anything is saved
    expect(staff.locator(f"#score-{sheet.pk}-8\\.4")).to_have_text("2.5")
    staff.click("#save")
    expect(staff.locator(".msg.success")).to_be_visible()
    expect(staff.locator(f"#score-{sheet.pk}-8\\.4")).to_have_text("2.5")

    sections = list(Section.objects.filter(sheets__round=round_).distinct().values_list("code", flat=True))
    for code in sections:
        who = login(new_page, "staff2") if code == "anquan" else staff
        who.goto(f"/rounds/{round_.pk}/sections/{code}/")
        who.click("#submit-all")
        expect(who.locator(".msg.success")).to_be_visible()

    head = login(new_page, "head")
    head2 = login(new_page, "head2")
    for code in sections:
        who = head2 if code == "anquan" else head
        who.goto(f"/rounds/{round_.pk}/sections/{code}/")
        who.click("#sign-all")
        expect(who.locator(".msg.success")).to_be_visible()
    assert not round_.sheets.exclude(state="signed").exists()

    collector = login(new_page, "collector")
    collector.goto(f"/rounds/{round_.pk}/")
    collector.click("#round-collect")
    expect(collector.locator("#round-state")).to_have_text("已汇总")

    for member in ("m1", "m2"):
        meeting = login(new_page, member)
        meeting.goto(f"/rounds/{round_.pk}/")
        if meeting.locator("textarea[name=resolution]").count():
            meeting.fill("textarea[name=resolution]", "同意各科考核结果")
            meeting.fill("input[name=meeting_date]", "2027-01-08")
        meeting.click("#round-decide")
        expect(meeting.locator(".msg.success")).to_be_visible()
    expect(meeting.locator("#round-state")).to_have_text("已审定")

    collector.goto(f"/rounds/{round_.pk}/")
    collector.click("#round-publish")
    expect(collector.locator("#round-state")).to_have_text("已公布")
    collector.goto(f"/rounds/{round_.pk}/ranking/")
    expect(collector.locator("table.ranking").first).to_contain_text("城关镇")

    town_page = login(new_page, "town")
    expect(town_page.locator("#unread")).to_be_visible()
    unit = sheet.unit
    town_page.click(f"#result-{round_.pk}-{unit.pk}")
    expect(town_page.locator("h1")).to_contain_text("城关镇")
    expect(town_page.locator("#total")).to_have_text(re.compile(r"\d"))
    expect(town_page.locator("body")).to_contain_text("数据库未及时更新")

    # and another town's page stays closed to it
    other = round_.sheets.exclude(unit=unit).first().unit
    response = town_page.goto(f"/rounds/{round_.pk}/units/{other.pk}/")
    assert response.status == 403
    expect(town_page.locator("body")).not_to_contain_text(other.name)
