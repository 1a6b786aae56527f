"""The command line: JSON shape, formats, and clear refusals with a non-zero exit."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kaohe.models import LedgerEntry

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def year(town, units, tmp_path):
    economy = tmp_path / "economy.csv"
    economy.write_text("unit,indicator,target,actual\n" + "".join(
        f"{u},{c},1000,{a}\n" for u, a in [("城关镇", 1000), ("东山镇", 900), ("西河镇", 1000), ("南湖镇", 1000)]
        for c in ("output", "revenue", "value_added", "profit", "investment")), encoding="utf-8")
    run("import_economy", str(economy), "--scheme", "town-2026", "--as-of", "2026-12")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "unit,rule,quantity,points,date,note\n"
        "城关镇,8.1.a,2,,2026-03-01,迟报\n"
        "西河镇,7.a,,-2,2026-11-01,台帐不全\n"
        "南湖镇,1.3.a,1,,2026-08-01,新增亿元企业\n",
        encoding="gb18030",
    )
    run("import_ledger", str(ledger), "--scheme", "town-2026")
    return tmp_path


def test_json_has_the_documented_shape(year):
    data = json.loads(run("score", "--scheme", "town-2026", "--format", "json"))
    assert data["scheme"] == "town-2026" and data["as_of"] == "2026-12"
    by_unit = {u["unit"]: u for u in data["units"]}
    nanhu = by_unit["南湖镇"]
    assert (nanhu["total"], nanhu["rank"], nanhu["prize"], nanhu["group"]) == (105, 1, 1, "town")
    assert nanhu["categories"]["1"] == 15 and nanhu["items"]["1.3"] == 5
    assert nanhu["explanation"]["1.3"]["lines"][0]["rows"][0]["note"] == "新增亿元企业"
    chengguan = by_unit["城关镇"]
    assert (chengguan["total"], chengguan["rank"], chengguan["prize"]) == (99, 2, 2)
    assert chengguan["items"]["8.1"] == 5
    assert (by_unit["西河镇"]["total"], by_unit["西河镇"]["rank"], by_unit["西河镇"]["prize"]) == (98, 3, 3)
    dongshan = by_unit["东山镇"]
    assert dongshan["vetoed"] is True and dongshan["rank"] is None and dongshan["prize"] is None
    assert {r["indicator"] for r in dongshan["veto_reasons"]} == {"output", "revenue", "value_added", "profit"}
    assert dongshan["total"] == 99.2  # 1.2 = 5 × 1.6 × 0.9 = 7.2
    assert isinstance(dongshan["total"], float) and isinstance(nanhu["total"], int)
    assert by_unit["开发区"]["rank"] == 1 and by_unit["开发区"]["prize"] is None


def test_mid_year_json_lists_risks_not_vetoes(year, tmp_path):
    figures = tmp_path / "june.csv"
    figures.write_text("unit,indicator,target,actual\n城关镇,output,1200,500\n", encoding="utf-8")
    run("import_economy", str(figures), "--scheme", "town-2026", "--as-of", "2026-06")
    data = json.loads(run("score", "--scheme", "town-2026", "--as-of", "2026-06", "--format", "json",
                          "--group", "town"))
    chengguan = next(u for u in data["units"] if u["unit"] == "城关镇")
    assert chengguan["vetoed"] is False and chengguan["rank"] is not None
    assert chengguan["at_risk"][0]["indicator"] == "output"
    assert chengguan["at_risk"][0]["expected"] == 600
    assert {u["group"] for u in data["units"]} == {"town"}


def test_csv_and_table_formats(year):
    rows = list(csv.DictReader(io.StringIO(run("score", "--scheme", "town-2026", "--format", "csv"))))
    nanhu = next(r for r in rows if r["unit"] == "南湖镇")
    assert (nanhu["total"], nanhu["rank"], nanhu["prize"], nanhu["item 1.3"]) == ("105", "1", "1", "5")
    table = run("score", "--scheme", "town-2026")
    assert "南湖镇" in table and "veto.economy(output)" in table


def test_a_bad_file_exits_non_zero_names_the_rows_and_imports_nothing(year, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,rule,quantity,points,date,note\n城关镇,8.1.a,1,,2026-01-01,\n无名镇,8.1.a,x,,2026-01-01,\n",
                   encoding="utf-8")
    before = LedgerEntry.objects.count()
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="2 problem"):
        call_command("import_ledger", str(bad), "--scheme", "town-2026", stdout=io.StringIO(), stderr=err)
    assert "line 3, column unit, value '无名镇'" in err.getvalue()
    assert "line 3, column quantity, value 'x': not a number" in err.getvalue()
    with pytest.raises(CommandError):  # the default language: the same rows named in Chinese
        call_command("import_ledger", str(bad), "--scheme", "town-2026", stdout=io.StringIO(), stderr=err)
    assert "第 3 行" in err.getvalue() and "不是数字" in err.getvalue()
    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize("args, message", [
    (["score", "--scheme", "nope"], "no scheme 'nope'"),
    (["score", "--scheme", "town-2026", "--as-of", "2026-13"], "--as-of"),
    (["score", "--scheme", "town-2026", "--as-of", "2025-06"], "scheme's year"),
    (["score", "--scheme", "town-2026", "--group", "village"], "not ranked"),
    (["import_ledger", "/no/such/file.csv", "--scheme", "town-2026"], "no such file"),
    (["load_seed_scheme", "--year", "1900"], "out of range"),
])
def test_refusals_are_one_clear_line(town, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_real_process_exits_non_zero_without_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "DJANGO_DEBUG": "1"}
    python = sys.executable

    def manage(*args):
        return subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)

    assert manage("migrate", "-v0").returncode == 0
    assert manage("load_seed_scheme", "--year", "2026").returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,rule,date\n无名镇,8.1.a,2026-01-01\n", encoding="utf-8")
    done = manage("import_ledger", str(bad), "--scheme", "town-2026")
    assert done.returncode == 1
    assert "第 2 行，unit 列，值 '无名镇'" in done.stderr  # the default language
    assert "Traceback" not in done.stderr
