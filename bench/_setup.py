"""Shared by the benchmarks: a database of their own, and a clock."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def django_on_bench_db(name: str) -> str:
    """Point Django at a benchmark database (never the development one) and set it up."""
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{OUT / (name + '.sqlite3')}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    if url.startswith("mysql"):
        _create_mysql_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if url.startswith("mysql"):
        _report_buffer_pool()
    return url


def _report_buffer_pool() -> None:
    """InnoDB's buffer pool decides whether a million-row ledger's index pages are read from memory or disk."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT @@innodb_buffer_pool_size")
        size = cursor.fetchone()[0]
    print(f"InnoDB buffer pool {int(size) // 2**20} MB", flush=True)


def _create_mysql_database(url: str) -> None:
    import dj_database_url
    import MySQLdb

    cfg = dj_database_url.parse(url)
    conn = MySQLdb.connect(host=cfg["HOST"] or "127.0.0.1", port=int(cfg["PORT"] or 3306), user=cfg["USER"],
                           passwd=cfg["PASSWORD"] or "")
    conn.cursor().execute(
        f"CREATE DATABASE IF NOT EXISTS `{cfg['NAME']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    )
    conn.close()


def best_of(runs: int, fn) -> tuple[float, object]:
    """The fastest of ``runs`` calls: the least disturbed by the rest of the machine."""
    best, value = float("inf"), None
    for _ in range(runs):
        value = None  # the previous run's result is freed before the clock starts, not inside the next run
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def summary(bench: str, measured: str, seconds: float, baseline: str, baseline_seconds: float, target: str) -> None:
    """One line for ``make bench``'s table (bench/all.py), after the bench's own report."""
    import json

    from django.db import connection

    print("@@ " + json.dumps({"bench": bench, "database": connection.vendor, "measured": measured,
                              "seconds": seconds, "baseline": baseline, "baseline_seconds": baseline_seconds,
                              "ratio": seconds / baseline_seconds, "target": target}, ensure_ascii=False))
