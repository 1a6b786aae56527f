"""The shipped print formats on the demo year, as PDFs and as a PNG of each one's first page.

Builds a throw-away SQLite database: the town scheme and its demo year, every sheet signed by the demo
head, the round collected and decided by two meeting members; the employee scheme with its demo ratings; the
key-project scheme with its demo year, decided the same way.
Writes docs/screenshots/print-<format>.png (the evaluation report as print-evaluation-report.png;
pdftoppm -png -r 60 -singlefile) and the PDFs beside them
under bench/out/samples/.  Usage: .venv/bin/python scripts/print_samples.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
OUT = ROOT / "bench" / "out" / "samples"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="kaohe-samples-"))
    os.environ.update(DATABASE_URL=f"sqlite:///{work / 'samples.sqlite3'}", KAOHE_MEDIA_ROOT=str(work / "media"),
                      DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from kaohe.actions.printing import do_print
    from kaohe.actions.rounds import do_collect_round, do_decide_round
    from kaohe.actions.transitions import do_transition
    from kaohe.models import Scheme
    from kaohe.printing.render import current_format

    call_command("migrate", verbosity=0)
    for family in ("town", "employee", "project"):
        call_command("load_seed_scheme", "--year", "2026", "--family", family, verbosity=0)
        call_command("load_demo", "--year", "2026", "--family", family, verbosity=0)
    users = {u.username: u for u in get_user_model().objects.all()}
    town = Scheme.objects.get(code="town-2026").rounds.get()
    project = Scheme.objects.get(code="project-2026").rounds.get()
    for round_ in (town, project):
        for sheet in round_.sheets.all():
            do_transition(sheet, "submit", acting_user=get_user_model().objects.get(username="jingban"))
            do_transition(sheet, "sign", acting_user=get_user_model().objects.get(username="fenguan"))
        do_collect_round(round_, acting_user=users["zhidao"])
        for member in ("huiyi1", "huiyi2"):
            do_decide_round(round_, resolution="同意考核结果,按规定予以通报。", meeting_date=date(2027, 1, 12),
                            acting_user=get_user_model().objects.get(username=member))
        round_.refresh_from_db()
    employee = Scheme.objects.get(code="employee-2026").rounds.get()
    person = employee.sheets.order_by("unit__name").values_list("unit__name", flat=True).first()
    jobs = [("scorecard", town, {"unit": "城关镇"}), ("announcement", town, {}),
            ("section_sheet", town, {"section": "caitong", "unit": "城关镇"}),
            ("appraisal_form", employee, {"unit": person}),
            ("evaluation_report", project, {"unit": "中小企业融资对接服务项目"})]
    SHOTS.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    for code, round_, subject in jobs:
        printed = do_print(current_format(code), round_, acting_user=None, **subject)
        pdf = OUT / f"{code}.pdf"
        pdf.write_bytes(printed.pdf)
        shot = SHOTS / ("print-evaluation-report" if code == "evaluation_report" else f"print-{code}")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(shot)], check=True)
        print(f"{shot}.png  ({code}, {printed.stamped[0][1]['doc']['code']})")


if __name__ == "__main__":
    main()
