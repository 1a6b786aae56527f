"""The upload preview of a ledger file, photographed in Chromium (docs/screenshots/upload-preview.png).

A fresh demo database (bench/out/uploads.sqlite3, as bench/inbox_shots.py makes it); as the demo staff
(``jingban``) a CSV of eight ledger rows, three of them wrong (an amount outside its rule's range, a unit that
does not exist, a date outside the scheme's year), is uploaded on the ledger import page. Prints what the
preview marked and writes the picture.
Usage: .venv/bin/python bench/upload_shots.py
"""

from __future__ import annotations

import os

import inbox_shots
from _setup import OUT
from inbox_shots import SHOTS, fresh_demo_database, serve, signed_in


def ledger_file(units: list[str]) -> str:
    a, b, c, d = units[:4]
    return ("unit,rule,quantity,points,date,note\n"
            f"{a},8.1.a,1,,2026-03-02,3月报表迟报\n"
            f"{b},8.4.a,1,-9,2026-03-05,台帐不健全\n"
            f"{c},8.1.a,2,,2026-04-10,漏报两次\n"
            "北山乡,8.5.a,1,,2026-04-12,未参加培训\n"
            f"{d},8.5.a,1,,2026-05-08,未参加例会\n"
            f"{a},8.4.a,1,-1.5,2026-06-01,台帐缺少附件\n"
            f"{b},8.1.a,1,,2025-12-28,上年度报表\n"
            f"{c},8.5.a,1,,2026-06-15,未参加业务培训\n")


def photograph(csv: str) -> None:
    from playwright.sync_api import sync_playwright

    path = OUT / "ledger-upload.csv"
    path.write_text(csv, encoding="utf-8")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser, page = signed_in(p, "jingban")
        page.goto("/imports/ledger/")
        page.set_input_files("#file", str(path))
        page.click("#upload")
        page.wait_for_selector("#preview-rows")
        marked = page.evaluate("""() => Array.from(document.querySelectorAll('tr.bad-row td.bad-cell'))
            .map(td => td.closest('tr').dataset.line + ':' + td.dataset.column)""")
        print(f"preview: {page.locator('#preview-rows tr[data-line]').count()} rows, marked cells {marked}")
        page.screenshot(path=str(SHOTS / "upload-preview.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    fresh_demo_database("uploads")
    from kaohe.models import Unit

    towns = list(Unit.objects.filter(group__code="town", active=True).order_by("name").values_list("name", flat=True))
    os.environ["KAOHE_MEDIA_ROOT"] = str(OUT / "uploads-media")
    inbox_shots.PORT = 8766  # beside a running inbox_shots
    server = serve()
    try:
        photograph(ledger_file(towns))
    finally:
        server.terminate()
        server.wait()
