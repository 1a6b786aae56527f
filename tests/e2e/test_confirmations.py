"""Every irreversible step asks first, with a summary of its effect (a static script reads data-confirm, as
CSP forbids inline script); declining changes nothing, agreeing takes the step."""

import pytest
from playwright.sync_api import expect

from kaohe.actions.transitions import do_transition
from kaohe.models import Delegation

from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_all_and_sign_ask_first_and_a_no_changes_nothing(new_page, people, round_):
    staff2 = login(new_page, "staff2")
    staff2.goto(f"/rounds/{round_.pk}/sections/anquan/")
    staff2.confirm_answer = False
    staff2.click("#submit-all")
    assert len(staff2.dialogs) == 1 and "安全" in staff2.dialogs[0]  # names the section it submits
    assert set(round_.sheets.filter(section__code="anquan").values_list("state", flat=True)) == {"draft"}
    staff2.confirm_answer = True
    staff2.click("#submit-all")
    expect(staff2.locator(".msg.success")).to_be_visible()
    assert set(round_.sheets.filter(section__code="anquan").values_list("state", flat=True)) == {"submitted"}

    sheet = round_.sheets.get(section__code="anquan", unit__name="东山镇")
    head2 = login(new_page, "head2")
    head2.goto(f"/sheets/{sheet.pk}/")
    head2.confirm_answer = False
    head2.click("#sheet-sign")
    assert "东山镇" in head2.dialogs[0]
    sheet.refresh_from_db()
    assert sheet.state == "submitted" and not sheet.signatures.exists()
    head2.confirm_answer = True
    head2.click("#sheet-sign")
    expect(head2.locator(".msg.success")).to_be_visible()
    sheet.refresh_from_db()
    assert sheet.state == "signed" and sheet.signatures.count() == 1


def test_return_collect_and_delegate_ask_first(new_page, people, round_):
    sheet = round_.sheets.get(section__code="anquan", unit__name="城关镇")
    do_transition(sheet, "submit", acting_user=people["staff2"])
    head2 = login(new_page, "head2")
    head2.goto(f"/sheets/{sheet.pk}/")
    head2.confirm_answer = False
    head2.fill("textarea[name=comment], input[name=comment]", "请补充证据")
    head2.click("#sheet-return")
    assert "城关镇" in head2.dialogs[-1]
    sheet.refresh_from_db()
    assert sheet.state == "submitted"

    head2.goto("/")
    head2.fill("input[name=starts]", "2026-01-01")
    head2.fill("input[name=ends]", "2026-01-31")
    head2.click("#delegate")
    assert len(head2.dialogs) == 2
    assert not Delegation.objects.exists()

    collector = login(new_page, "collector")
    collector.goto(f"/rounds/{round_.pk}/")
    collector.confirm_answer = False
    collector.click("#round-collect")
    assert round_.name in collector.dialogs[0]
    round_.refresh_from_db()
    assert round_.state == "open"
