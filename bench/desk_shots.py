"""Screenshots of the Desk as its users see it, in Chinese and in English, for the README.

Builds a fresh SQLite database (bench/out/desk-shots.sqlite3, never the development one): the town scheme, its
demo year and demo people, and the demo round taken to published through the actions (staff submit every
sheet, heads sign, the collector collects, the meeting decides, the collector publishes). Serves it with
``runserver`` and writes docs/screenshots/{ranking,grid,town-result}-{zh,en}.png.
Usage: .venv/bin/python bench/desk_shots.py
"""

from __future__ import annotations

from datetime import date

from _setup import ROOT
from inbox_shots import PASSWORD, PORT, fresh_demo_database, serve

SHOTS = ROOT / "docs" / "screenshots"


def build() -> dict:
    fresh_demo_database("desk-shots")
    from django.contrib.auth import get_user_model

    from kaohe.actions.rounds import do_collect_round, do_decide_round, do_publish_round
    from kaohe.actions.roundwide import do_round_wide_step
    from kaohe.models import Round, Unit
    from kaohe.services.roundwide import sheets_waiting

    users = get_user_model().objects
    round_ = Round.objects.get()
    for login, step in (("jingban", "submit"), ("fenguan", "sign")):
        user = users.get(username=login)
        ids = list(sheets_waiting(round_, user, step).values_list("pk", flat=True))
        do_round_wide_step(round_, step, ids, acting_user=user)
    do_collect_round(round_, acting_user=users.get(username="zhidao"))
    for member in ("huiyi1", "huiyi2", "huiyi3"):
        round_.refresh_from_db()
        if round_.state != "decided":
            do_decide_round(round_, resolution="经局长办公会议研究，同意考核结果。", meeting_date=date(2027, 1, 8),
                            acting_user=users.get(username=member))
    do_publish_round(round_, acting_user=users.get(username="zhidao"))
    return {"round": round_.pk, "town": Unit.objects.get(name="城关镇").pk}


def photograph(ids: dict) -> None:
    from playwright.sync_api import sync_playwright

    pages = [
        ("ranking", "zhidao", f"/rounds/{ids['round']}/ranking/"),
        ("grid", "jingban", f"/rounds/{ids['round']}/sections/caitong/"),
        ("town-result", "chengguan", f"/rounds/{ids['round']}/units/{ids['town']}/"),
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for name, login, url in pages:
            for lang, locale in (("zh", "zh-CN"), ("en", "en-US")):
                context = browser.new_context(base_url=f"http://127.0.0.1:{PORT}", locale=locale,
                                              viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto("/login/")
                page.fill("#username", login)
                page.fill("#password", PASSWORD)
                page.click("#login")
                page.wait_for_selector("header.top")
                if page.locator("html").get_attribute("lang") != ("en" if lang == "en" else "zh-hans"):
                    page.click("header.top button[name=language]")
                    page.wait_for_load_state()
                response = page.goto(url)
                assert response is not None and response.status == 200, (name, lang, response and response.status)
                page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=False)
                print(f"{name}-{lang}.png as {login}: {url}")
                context.close()
        browser.close()


if __name__ == "__main__":
    ids = build()
    server = serve()
    try:
        photograph(ids)
    finally:
        server.terminate()
        server.wait()
