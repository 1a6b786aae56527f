"""Round-wide work in Chromium: staff submit all their sheets of a round, the head signs all those waiting,
each behind a confirmation page that lists exactly what the step takes; every sheet gets its own signature."""

import pytest
from playwright.sync_api import expect

from kaohe.actions.transitions import do_transition
from kaohe.models import Signature

from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_all_and_sign_all_list_what_they_take_and_sign_each_sheet(new_page, people, round_):
    staff2 = login(new_page, "staff2")  # staff of 安全 only: its sheets, nobody else's
    staff2.goto(f"/rounds/{round_.pk}/")
    staff2.click(f"#submit-all-mine-{round_.pk}")
    mine = list(round_.sheets.filter(section__code="anquan").order_by("unit__name").values_list("pk", flat=True))
    assert len(mine) == 6  # the six units of the fixture
    rows = staff2.locator("#round-wide-sheets tbody tr")
    expect(rows).to_have_count(6)
    assert sorted(int(rows.nth(i).get_attribute("data-sheet")) for i in range(6)) == sorted(mine)
    staff2.click("#round-wide-confirm")
    expect(staff2.locator(".msg.success")).to_contain_text("6")
    assert set(round_.sheets.filter(section__code="anquan").values_list("state", flat=True)) == {"submitted"}
    assert round_.sheets.exclude(section__code="anquan").filter(state="submitted").count() == 0

    # the head of 安全 sees the same six on the confirmation; a sheet returned meanwhile refuses the stale list
    head2 = login(new_page, "head2")
    head2.goto(f"/rounds/{round_.pk}/all/sign/")
    expect(head2.locator("#round-wide-sheets tbody tr")).to_have_count(6)
    head2.click("#round-wide-confirm")
    expect(head2.locator(".msg.success")).to_be_visible()
    signed = round_.sheets.filter(section__code="anquan", state="signed")
    assert signed.count() == 6
    # one signature record per sheet, each by head2
    assert Signature.objects.filter(sheet__in=signed, action="sign", user=people["head2"]).count() == 6
    head2.goto(f"/rounds/{round_.pk}/all/sign/")
    expect(head2.locator("#round-wide-nothing")).to_be_visible()


def test_a_list_that_changed_after_confirming_does_nothing(new_page, people, round_):
    staff2 = login(new_page, "staff2")
    staff2.goto(f"/rounds/{round_.pk}/all/submit/")
    expect(staff2.locator("#round-wide-sheets tbody tr")).to_have_count(6)
    # meanwhile one sheet is submitted on its own
    one = round_.sheets.filter(section__code="anquan").first()
    do_transition(one, "submit", acting_user=people["staff2"])
    staff2.click("#round-wide-confirm")
    expect(staff2.locator(".msg.error")).to_be_visible()
    assert round_.sheets.filter(section__code="anquan", state="submitted").count() == 1
    expect(staff2.locator("#round-wide-sheets tbody tr")).to_have_count(5)


def test_the_links_are_shown_only_to_those_who_submit_or_sign(new_page, people, round_):
    collector = login(new_page, "collector")
    collector.goto(f"/rounds/{round_.pk}/")
    expect(collector.locator(f"#submit-all-mine-{round_.pk}")).to_have_count(0)
    expect(collector.locator(f"#sign-all-mine-{round_.pk}")).to_have_count(0)
