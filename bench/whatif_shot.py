"""A screenshot of the ranking report with its chart and the what-if below it, for the README.

Builds a fresh SQLite database (bench/out/whatif-shot.sqlite3, never the development one) with the town scheme,
its demo year, the demo people and an open round. Picks the lowest-ranked town whose ledger rows, left out, move
it up (asked of the what-if itself), then in Chromium as the collector (``zhidao``) opens that town in the panel,
ticks its rows off, recomputes and writes docs/screenshots/report-ranking-whatif.png.
Usage: .venv/bin/python bench/whatif_shot.py
"""

from __future__ import annotations

from _setup import ROOT
from inbox_shots import PASSWORD, PORT, fresh_demo_database, serve

SHOTS = ROOT / "docs" / "screenshots"


def choose() -> tuple[int, str, list[int]]:
    """(round, town, its rows): the first town from the bottom that leaving out its rows moves up."""
    fresh_demo_database("whatif-shot")
    from kaohe.models import Round
    from kaohe.scoring.whatif import RowChange, Scenario
    from kaohe.services.whatif import round_facts, run_what_if

    round_ = Round.objects.get(scheme__code="town-2026")
    found = round_facts(round_)
    towns = sorted((u for u in found.real.units if u.group == "town" and u.rank),
                   key=lambda u: u.rank, reverse=True)
    for town in towns:
        rows = [row.id for t in found.facts.tallies if t.unit == town.unit for row in t.rows]
        if not rows:
            continue
        scenario = Scenario(rows=tuple(RowChange(pk, exclude=True) for pk in rows))
        move = next(m for m in run_what_if(round_, scenario, found).moves if m.unit == town.unit)
        if move.direction == "up":
            return round_.pk, town.unit, rows
    raise SystemExit("no town moves when its rows are left out")


def photograph(round_id: int, town: str, rows: list[int]) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(base_url=f"http://127.0.0.1:{PORT}", viewport={"width": 1280, "height": 900},
                                locale="zh-CN", bypass_csp=True)
        page.goto("/login/")
        page.fill("#username", "zhidao")
        page.fill("#password", PASSWORD)
        page.click("#login")
        page.wait_for_selector("header.top")
        page.goto(f"/reports/ranking/?round={round_id}")
        page.wait_for_selector("#report-chart svg")
        page.locator(f'details.whatif-unit[data-unit="{town}"] > summary').click()
        for pk in rows:
            page.check(f"#whatif-exclude-{pk}")
        page.click("#whatif-recompute")
        page.wait_for_selector("#whatif-table")
        # The town's rows stay ticked in the form; folding them keeps the chart and the comparison in one picture.
        page.locator(f'details.whatif-unit[data-unit="{town}"] > summary').click()
        # A full-page picture is taken in one piece: sticky headers would be drawn in the middle of it.
        page.add_style_tag(content="header.top, table thead, table thead th { position: static !important; }")
        page.screenshot(path=str(SHOTS / "report-ranking-whatif.png"), full_page=True)
        moved = page.locator(f'#whatif-table tr[data-unit="{town}"] td').all_inner_texts()
        print(f"report-ranking-whatif.png: {town} without its {len(rows)} rows: {' | '.join(moved)}")
        browser.close()


if __name__ == "__main__":
    chosen = choose()
    server = serve()
    try:
        photograph(*chosen)
    finally:
        server.terminate()
        server.wait()
