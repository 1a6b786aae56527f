"""The inbox in Chromium: to-dos (counted on the badge) apart from notifications, which page and can all be
marked read at once."""

import pytest
from playwright.sync_api import expect

from kaohe.actions.notify import notify
from kaohe.models import Notification

from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_badge_counts_to_dos_and_notifications_page_and_mark_all_read(new_page, people, round_, town):
    notify([people["staff2"].pk], "publish", round="第一条通知")
    for n in range(2, 61):  # 60 notifications: three pages of 25, 25 and 10
        notify([people["staff2"].pk], "publish", round=f"通知 {n}")
    page = login(new_page, "staff2")
    # staff2 enters for 安全 only: one round × one section to fill, nothing else → the badge says 1
    expect(page.locator("#todo-badge")).to_have_text("1")
    expect(page.locator("#unread")).to_have_text("60")
    expect(page.locator(f"#inbox-submit-all-{round_.pk}")).to_be_visible()
    expect(page.locator("#inbox-unread-notes")).to_contain_text("60")

    page.click("#notifications-link")
    expect(page.locator("#notification-list > li")).to_have_count(25)
    page.click("#page-next")
    expect(page.locator("#notification-list > li")).to_have_count(25)
    page.click("#page-next")
    expect(page.locator("#notification-list > li")).to_have_count(10)
    expect(page.locator("#notification-list")).to_contain_text("第一条通知")  # the oldest comes last
    expect(page.locator("#page-next")).to_have_count(0)

    page.click("#mark-all-read")
    expect(page.locator(".msg.success")).to_contain_text("60")
    expect(page.locator("#unread")).to_have_count(0)
    assert not Notification.objects.filter(user=people["staff2"], read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).exclude(user=people["staff2"]).count() == 0
    # the to-do stays until the sheets are submitted; submitting them all empties the badge
    page.goto(f"/rounds/{round_.pk}/all/submit/")
    page.click("#round-wide-confirm")
    expect(page.locator(".msg.success")).to_be_visible()
    page.goto("/")
    expect(page.locator("#todo-badge")).to_have_count(0)


def test_marking_all_read_leaves_other_users_notes_unread(new_page, people, round_):
    notify([people["staff2"].pk, people["head2"].pk], "publish", round="两人都收到")
    page = login(new_page, "staff2")
    page.goto("/notifications/")
    page.click("#mark-all-read")
    expect(page.locator(".msg.success")).to_be_visible()
    assert Notification.objects.get(user=people["head2"]).read_at is None
