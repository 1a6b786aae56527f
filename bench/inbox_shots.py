"""The inbox after the issue-11 changes, measured and photographed in Chromium (zh-hans and en).

Builds a fresh SQLite database (bench/out/shots.sqlite3, never the development one): the town scheme, its
demo year, the demo people and an open round; the demo staff submits every sheet of the round (one
notification per sheet for the head). Serves it with ``runserver`` and, as the head (``fenguan``), prints the
badge, the number of unread notifications and the inbox page's height, and writes
docs/screenshots/inbox-zh.png, inbox-en.png and notifications-zh.png.
Usage: .venv/bin/python bench/inbox_shots.py
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.request

from _setup import OUT, ROOT, django_on_bench_db

PORT = 8765
PASSWORD = "kaohe-demo-2026"
SHOTS = ROOT / "docs" / "screenshots"


def fresh_demo_database(name: str) -> None:
    """A new SQLite file under bench/out with the town scheme, its demo year, the demo people and an open round."""
    path = OUT / f"{name}.sqlite3"
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_DEBUG"] = "1"  # demo logins exist only while DEBUG is on; runserver serves the static files
    django_on_bench_db(name)
    from django.core.management import call_command

    call_command("load_seed_scheme", year=2026, verbosity=0)
    call_command("load_demo", year=2026, stdout=io.StringIO())


def build() -> None:
    fresh_demo_database("shots")
    from django.contrib.auth import get_user_model

    from kaohe.actions.roundwide import do_round_wide_step
    from kaohe.models import Round
    from kaohe.services.roundwide import sheets_waiting

    staff = get_user_model().objects.get(username="jingban")
    round_ = Round.objects.get()
    ids = list(sheets_waiting(round_, staff, "submit").values_list("pk", flat=True))
    do_round_wide_step(round_, "submit", ids, acting_user=staff)


def serve() -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{PORT}",
                               "--noreload"], env=os.environ.copy(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def signed_in(playwright, username: str):
    """Debian's Chromium at 1280 × 800 in Chinese, signed in as a demo user on the served database."""
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
    page = browser.new_page(base_url=f"http://127.0.0.1:{PORT}", viewport={"width": 1280, "height": 800},
                            locale="zh-CN")
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_selector("header.top")
    return browser, page


def photograph() -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser, page = signed_in(p, "fenguan")
        for lang in ("zh", "en"):
            if lang == "en":
                page.click("header.top button[name=language]")
                page.wait_for_selector("html[lang=en]")
            badge = page.locator("#todo-badge").inner_text()
            unread = page.locator("#unread").inner_text()
            height = page.evaluate("document.documentElement.scrollHeight")
            print(f"inbox ({lang}): badge {badge} to-dos, {unread} unread notifications, page {height} px tall")
            page.screenshot(path=str(SHOTS / f"inbox-{lang}.png"), full_page=True)
        page.click("header.top button[name=language]")  # back to Chinese
        page.goto("/notifications/")
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"notifications page 1: {page.locator('#notification-list > li').count()} rows, {height} px tall")
        page.screenshot(path=str(SHOTS / "notifications-zh.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    build()
    server = serve()
    try:
        photograph()
    finally:
        server.terminate()
        server.wait()
