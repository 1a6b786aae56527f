"""``make bench``: every benchmark in turn, then one table of what each measured against its own baseline.

Runs on SQLite (each bench's own file under bench/out/) and, when DATABASE_URL is set, on that database too.
Usage: .venv/bin/python bench/all.py [--only score,import,...]
       DATABASE_URL=mysql://root@127.0.0.1:3306/kaohe_perf .venv/bin/python bench/all.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["score", "appraisal", "import", "incremental", "whatif"]


def run(bench: str, database_url: str | None) -> list[dict]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        base, _, name = database_url.rpartition("/")
        env["DATABASE_URL"] = f"{base}/{name}_{bench}"  # a database per bench, as on SQLite
    print(f"== {bench} on {'SQLite' if not database_url else env['DATABASE_URL'].split('@')[-1]}", flush=True)
    done = subprocess.run([sys.executable, str(HERE / f"{bench}.py")], env=env, capture_output=True, text=True)
    rows = []
    for line in done.stdout.splitlines():
        if line.startswith("@@ "):
            rows.append(json.loads(line[3:]))
        else:
            print("   " + line, flush=True)
    if done.returncode:
        print(done.stderr[-2000:], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(BENCHES))
    args = parser.parse_args()
    urls = [None] + ([os.environ["DATABASE_URL"]] if os.environ.get("DATABASE_URL") else [])
    rows = [row for url in urls for bench in args.only.split(",") for row in run(bench, url)]
    print()
    print(f"| {'bench':<12} | {'database':<8} | {'measured':<34} | {'time':>10} | {'baseline (same run)':<30} "
          f"| {'time':>10} | {'ratio':>6} | target |")
    print("|" + "|".join("-" * w for w in (14, 10, 36, 12, 32, 12, 8, 8)) + "|")
    for r in rows:
        print(f"| {r['bench']:<12} | {r['database']:<8} | {r['measured']:<34} | {_time(r['seconds']):>10} "
              f"| {r['baseline']:<30} | {_time(r['baseline_seconds']):>10} | {r['ratio']:>6.2f} | {r['target']} |")


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.3f} s"


if __name__ == "__main__":
    main()
