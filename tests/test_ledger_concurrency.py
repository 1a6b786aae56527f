"""Two imports of one file started at the same moment, in two processes on the real database: exactly one set
of rows lands. Runs on MariaDB (and PostgreSQL); SQLite's test database lives in one process's memory."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from kaohe.models import LedgerEntry

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor == "sqlite", reason="needs a database two processes share")]


def test_two_concurrent_imports_of_one_file_write_its_rows_once(tmp_path):
    from kaohe.actions.schemes import do_load_scheme
    from kaohe.actions.units import do_import_units

    do_load_scheme("town", 2026)
    do_import_units("name,group\n城关镇,town\n东山镇,town\n".encode(), "units.csv")
    rows = "".join(f"{town},8.1.a,1,,2026-03-{day:02d},迟报\n" for town in ("城关镇", "东山镇") for day in range(1, 29))
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("unit,rule,quantity,points,date,note\n" + rows, encoding="utf-8")
    settings = connection.settings_dict
    url = (f"mysql://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
           f"{settings['PORT'] or 3306}/{settings['NAME']}" if connection.vendor == "mysql" else
           f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/"
           f"{settings['NAME']}")
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "manage.py", "import_ledger", str(ledger), "--scheme", "town-2026"]
    first, second = (subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True) for _ in range(2))
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert LedgerEntry.objects.count() == 56
    said = " ".join(out for out, _err in outputs)
    assert "新增 56" in said and "已在台账中" in said  # the commands speak the site's language
