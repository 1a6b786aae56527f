"""The 40-scorecard batch: one PDF of every unit's 考核得分表, against one card alone × 40, in one run.

Builds a fresh SQLite database (never the development one): the town scheme, 40 towns, about 36 ledger
rows behind each card (so each card lists ~36 rows over two pages), and an open round. Then:
  baseline  one scorecard rendered alone (cache empty), × 40: what a serial batch would cost;
  cold      the whole batch with an empty cache: every card laid out, one process per core, merged;
  warm      the same batch again: nothing changed, so every card comes from the cache and is only merged.
Peak memory is the largest resident size of this process and of any rendering process.
Usage: .venv/bin/python bench/print.py [--units 40] [--target 10]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import time

from _setup import OUT, django_on_bench_db

RULES = ["8.1.a", "8.2.a", "8.3.b", "8.5.a", "6.1.a", "9.3.a", "10.1.a", "3.1.b", "3.2.c", "3.3.c", "10.3.b", "4.a"]


def fresh_database() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "print.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["KAOHE_MEDIA_ROOT"] = str(OUT / "print-media")
    django_on_bench_db("print")


def build(units: int):
    from django.contrib.auth import get_user_model

    from kaohe.actions.ledger import do_import_ledger
    from kaohe.actions.printing import do_install_shipped_formats
    from kaohe.actions.rounds import do_open_round
    from kaohe.actions.schemes import do_load_scheme
    from kaohe.actions.units import do_import_units

    scheme = do_load_scheme("town", 2026)
    do_install_shipped_formats()
    names = [f"测试{n:02d}镇" for n in range(units)]
    do_import_units(("name,group\n" + "".join(f"{n},town\n" for n in names)).encode(), "units.csv")
    rnd = random.Random(12)
    lines = ["unit,rule,quantity,points,date,note"]
    for name in names:
        for n in range(36):
            lines.append(f"{name},{rnd.choice(RULES)},1,,2026-{1 + n % 12:02d}-{1 + n % 28:02d},"
                         f"第{n + 1}条 台账记录 {'说明' * rnd.randint(1, 12)}")
    print(do_import_ledger("\n".join(lines).encode(), "bench-print.csv", scheme).summary())
    admin = get_user_model().objects.create_superuser("bench-admin", "a@example.invalid", "bench-pass-4821x")
    return do_open_round(scheme, name="打印基准", acting_user=admin)


def cpu_seconds() -> float:
    """CPU time of this process and of every finished rendering process: what the work costs, whatever
    else the machine is doing (the wall time also counts waiting for a core other people's jobs hold)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--target", type=float, default=10.0)
    args = parser.parse_args()
    fresh_database()
    from django.conf import settings

    from kaohe.actions.printing import do_print
    from kaohe.printing.render import current_format

    round_ = build(args.units)
    cache = OUT / "print-media"
    shutil.rmtree(cache, ignore_errors=True)
    fmt = current_format("scorecard")
    first = round_.sheets.order_by("unit__name").values_list("unit__name", flat=True).first()

    start = time.perf_counter()
    one = do_print(fmt, round_, unit=first, acting_user=None)
    alone = time.perf_counter() - start
    shutil.rmtree(cache, ignore_errors=True)

    load_before = os.getloadavg()[0]
    start, cpu = time.perf_counter(), cpu_seconds()
    cold = do_print(fmt, round_, acting_user=None)
    cold_s, cold_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    start = time.perf_counter()
    warm = do_print(fmt, round_, acting_user=None)
    warm_s = time.perf_counter() - start
    own, children = peak_mb()
    assert warm.pdf == cold.pdf or len(warm.pdf) > 0
    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(cold.pdf)).pages)
    print(f"cores {os.cpu_count()}, workers {os.environ.get('KAOHE_PRINT_WORKERS') or os.cpu_count()}, "
          f"media {settings.MEDIA_ROOT}")
    print(f"one card alone          {alone:6.2f} s  ({len(PdfReader(BytesIO(one.pdf)).pages)} pages)")
    print(f"baseline: alone × {args.units}    {alone * args.units:6.2f} s")
    print(f"batch of {args.units}, cold cache  {cold_s:6.2f} s  ({pages} pages, {len(cold.pdf) / 1e6:.1f} MB), "
          f"ratio to baseline {cold_s / (alone * args.units):.2f}, target ≤ {args.target:g} s: "
          f"{'met' if cold_s <= args.target else 'MISSED'}")
    cores = os.cpu_count() or 1
    print(f"  cold batch CPU time     {cold_cpu:6.2f} s  ({cold_cpu / args.units:.2f} s a card; on {cores} idle "
          f"cores ≈ {cold_cpu / cores:.1f} s wall); load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")
    print(f"batch of {args.units}, warm cache  {warm_s:6.2f} s  (merge only)")
    print(f"peak memory: this process {own:.0f} MB, largest rendering process {children:.0f} MB")


if __name__ == "__main__":
    main()
