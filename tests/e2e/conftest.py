"""Real headless Chromium (Debian's) driven by Playwright against the live test server."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture
def browser(monkeypatch):
    """One browser per test: Playwright's event loop lives only as long as the test that needs it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make setup`")
    # The sync API keeps an event loop running in this thread; the ORM calls made here stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make():
        context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        # Irreversible steps ask for confirmation: accept by default and keep each question asked, so a
        # test can read what the user was told; a test sets ``page.confirm_answer = False`` to decline.
        page.dialogs, page.confirm_answer = [], True
        page.on("dialog", lambda dialog: _answer(page, dialog))
        return page

    yield make
    for context in contexts:
        context.close()


def _answer(page, dialog):
    page.dialogs.append(dialog.message)
    if page.confirm_answer:
        dialog.accept()
    else:
        dialog.dismiss()
