"""Screenshots of the report charts for the README: the matrix heatmap, one town's radar on the ranking and its
projected total by month on the at-risk report (序时进度), in Chinese, as the collector sees them.

Builds a fresh SQLite database (bench/out/report-shots.sqlite3, never the development one): the town scheme, its
demo year (ledger rows and economic figures for March, June, September and December) and the open demo round.
Serves it with ``runserver`` and writes docs/screenshots/report-{matrix,radar,at-risk}.png.
Usage: .venv/bin/python bench/report_shots.py
"""

from __future__ import annotations

from urllib.parse import urlencode

from inbox_shots import PASSWORD, PORT, SHOTS, fresh_demo_database, serve

TOWN = "城关镇"


def build() -> int:
    fresh_demo_database("report-shots")
    from kaohe.models import Round

    return Round.objects.get().pk


def photograph(round_id: int) -> None:
    from playwright.sync_api import sync_playwright

    pages = [
        ("report-matrix", "matrix", {"group": "town"}),
        ("report-radar", "ranking", {"unit": TOWN}),
        ("report-at-risk", "at_risk", {"unit": TOWN, "as_of": "6"}),
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(base_url=f"http://127.0.0.1:{PORT}", viewport={"width": 1280, "height": 860},
                                locale="zh-CN")
        page.goto("/login/")
        page.fill("#username", "zhidao")
        page.fill("#password", PASSWORD)
        page.click("#login")
        page.wait_for_selector("header.top")
        for name, code, filters in pages:
            response = page.goto(f"/reports/{code}/?{urlencode({'round': round_id, **filters})}")
            assert response is not None and response.status == 200, (name, response and response.status)
            page.wait_for_selector("#report-chart svg")
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
            print(f"{name}.png: /reports/{code}/ {filters}")
        browser.close()


if __name__ == "__main__":
    round_id = build()
    server = serve()
    try:
        photograph(round_id)
    finally:
        server.terminate()
        server.wait()
