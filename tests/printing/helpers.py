"""A round with ledger rows in several sections, and the tools to read a PDF back as text and as QR codes."""

import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from kaohe.actions.ledger import do_record_entry
from kaohe.actions.printing import do_install_shipped_formats
from kaohe.actions.rounds import do_collect_round, do_decide_round, do_publish_round
from kaohe.actions.transitions import do_transition
from kaohe.models import ScoreSheet
from tests.conftest import fresh

ROWS = [  # unit, rule, quantity, points, date, note
    ("城关镇", "8.1.a", "2", "", "2026-03-01", "财统月报迟报两次"),
    ("城关镇", "8.4.a", "1", "-1.5", "2026-04-02", "企业台帐不全"),
    ("城关镇", "1.3.a", "1", "", "2026-05-10", "新增亿元企业一家"),
    ("东山镇", "8.1.a", "1", "", "2026-02-11", "漏报一次"),
    ("东山镇", "7.a", "1", "-3", "2026-06-01", "安全台帐缺失"),
    ("西河镇", "veto.accident", "1", "", "2026-07-09", "较大安全事故"),
    ("南湖镇", "4.b", "1", "", "2026-09-30", "企业上市一家"),
]


def recorder(rule: str) -> str:
    if rule.startswith("veto"):
        return "admin"  # the veto rule belongs to no section
    return "staff2" if rule.startswith("7.") else "staff"


def name_people(people):
    """Full names, so that a printed signer is a name no other text on the page contains."""
    names = {"head": "李分管", "head2": "赵安全", "m1": "钱会议", "m2": "孙局长", "collector": "周指导"}
    for key, name in names.items():
        people[key].first_name = name
        people[key].save()


def record_rows(scheme, people):
    for unit, rule, quantity, points, day, note in ROWS:
        staff = people[recorder(rule)]
        do_record_entry(scheme, cells={"unit": unit, "rule": rule, "quantity": quantity, "points": points,
                                       "date": day, "note": note}, acting_user=fresh(staff))


def sheet(round_, section, unit):
    return ScoreSheet.objects.get(round=round_, section__code=section, unit__name=unit)


def sign_all(round_, people):
    for s in round_.sheets.exclude(state="signed"):
        staff = people["staff2"] if s.section.code == "anquan" else people["staff"]
        head = people["head2"] if s.section.code == "anquan" else people["head"]
        do_transition(s, "submit", acting_user=fresh(staff))
        do_transition(s, "sign", acting_user=fresh(head))


def decide(round_, people, publish=False):
    sign_all(round_, people)
    do_collect_round(round_, acting_user=fresh(people["collector"]))
    for member in ("m1", "m2"):
        do_decide_round(round_, resolution="同意考核结果", meeting_date=date(2027, 1, 10),
                        acting_user=fresh(people[member]))
    if publish:
        do_publish_round(round_, acting_user=fresh(people["collector"]))
    round_.refresh_from_db()


def install():
    do_install_shipped_formats()


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout


def pdf_pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def qr_codes(pdf: bytes) -> list[str]:
    """Every QR code on every page, read by zbarimg from a 150 dpi rendering."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(Path(tmp) / "page")], check=True)
        found = []
        for page in sorted(Path(tmp).glob("page*.png")):
            out = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True)
            found += [line for line in out.stdout.splitlines() if line]
        return found


def squeeze(text: str) -> str:
    """pdftotext output without the spaces and line breaks layout puts between characters."""
    return re.sub(r"\s+", "", text)
