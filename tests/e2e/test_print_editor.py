"""The print format editor in a real browser: the preview follows the typing, and errors show in it."""

import pytest
from playwright.sync_api import expect

from kaohe.actions.printing import do_install_shipped_formats

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_preview_follows_the_template_and_shows_errors_with_their_line(new_page, round_, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    do_install_shipped_formats()  # the migration's rows do not survive an earlier transactional test
    page = new_page()
    page.goto("/login/")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.goto("/print/formats/scorecard/")
    preview = page.frame_locator("#preview")
    expect(preview.locator("h1")).to_contain_text("考核得分表")  # the shipped template, on the first unit
    page.fill("#template", "<h1>{{ unit.name }} · {{ unit.total }} 分</h1>")
    expect(preview.locator("h1")).to_have_text("东山镇 · 92 分")
    page.fill("#template", "<p>一</p>\n<p>{{ unit.__class__.__mro__ }}</p>")
    expect(preview.locator("#template-problem")).to_be_visible()
    expect(preview.locator("#template-problem")).to_have_attribute("data-line", "2")
    page.fill("#template", "<p>\n{% for x in %}")
    expect(preview.locator("#template-problem")).to_have_attribute("data-line", "2")
