"""Validating and importing 100,000 ledger rows vs a bare executemany of the same rows, in one run.

Both write the same rows into the same table (same indexes); the import also reads and checks the
file (CSV, UTF-8) and records the batch. Prints both times and the ratio.
Usage: .venv/bin/python bench/import.py [--rows N] [--format csv|xlsx]
"""

from __future__ import annotations

import argparse
import io
import random
import time

from _setup import django_on_bench_db, summary


def make_file(rows: int, rule_codes: list[str], units: list[str], fmt: str, salt: int) -> bytes:
    rnd = random.Random(salt)
    lines = [["unit", "rule", "quantity", "points", "date", "note"]]
    for n in range(rows):
        lines.append([units[rnd.randrange(len(units))], rule_codes[n % len(rule_codes)], str(rnd.randrange(1, 4)),
                      "", f"2026-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}", f"记录{salt}-{n}"])
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for line in lines:
            sheet.append(line)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return ("\n".join(",".join(line) for line in lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    url = django_on_bench_db("import")

    from django.db import connection, transaction
    from django.utils import timezone

    from kaohe.actions.ledger import do_import_ledger as import_ledger
    from kaohe.actions.schemes import do_load_scheme as load_scheme
    from kaohe.models import LedgerEntry, Scheme, Unit, UnitGroup

    scheme = Scheme.objects.filter(code="town-2026").first() or load_scheme("town", 2026)
    town = UnitGroup.objects.get(code="town")
    if Unit.objects.count() < 200:
        Unit.objects.bulk_create([Unit(name=f"镇{n:03d}", group=town) for n in range(200)], ignore_conflicts=True)
    units = dict(Unit.objects.values_list("name", "id"))
    rules = dict(scheme.rules.filter(kind__in=["per_occurrence", "one_off"]).values_list("code", "id"))
    salt = int(time.time())  # a fresh file each run, so the fingerprint never short-circuits it
    data = make_file(args.rows, list(rules), list(units), args.format, salt)

    from kaohe.actions.aggregates import do_recompute_scores
    from kaohe.models import ImportBatch

    # Every run starts from the same ledger (empty), so runs compare; then the stored totals a running system
    # has, which the import adds to.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE scheme_id = %s", [scheme.pk])
    ImportBatch.objects.filter(scheme=scheme).delete()
    do_recompute_scores(scheme)

    # The baseline: the same rows, already parsed and typed, straight into the table.
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    text = data.decode("utf-8").splitlines()[1:] if args.format == "csv" else None
    if text is None:
        text = make_file(args.rows, list(rules), list(units), "csv", salt).decode("utf-8").splitlines()[1:]
    params = []
    for line in text:
        unit, rule, quantity, _points, day, note = line.split(",")
        params.append((scheme.pk, units[unit], rules[rule], quantity, None, day, note, None, None, now, None))
    # Placeholders only: with a literal NULL among them mysqlclient would send one statement per row.
    sql = (f"INSERT INTO {LedgerEntry._meta.db_table} (scheme_id, unit_id, rule_id, quantity, points, date, note, "
           "batch_id, reverses_id, created_at, created_by_id) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for at in range(0, len(params), 5000):
            cursor.executemany(sql, params[at:at + 5000])
    bare_s = time.perf_counter() - start

    start = time.perf_counter()
    outcome = import_ledger(data, f"bench.{args.format}", scheme)
    import_s = time.perf_counter() - start
    assert outcome.created == args.rows, outcome

    print(f"database          {connection.vendor} ({url.split('@')[-1]})")
    print(f"rows              {args.rows:,} ({args.format}, {len(data) / 1e6:.1f} MB)")
    print(f"bare executemany  {bare_s:.3f} s")
    print(f"validated import  {import_s:.3f} s")
    print(f"ratio             {import_s / bare_s:.2f}  (target ≤ 2)")
    summary("import", f"validated import of {args.rows:,} rows", import_s, "bare executemany", bare_s, "≤ 2")


if __name__ == "__main__":
    main()
