"""Scoring a whole scheme vs a bare SQL aggregate of the same ledger rows, in one run.

2,000 units and 1,000,000 ledger rows (built once, then reused). Prints both times and the ratio.
Usage: .venv/bin/python bench/score.py [--units N] [--rows N] [--runs N]
       DATABASE_URL=mysql://root@127.0.0.1:3306/kaohe_bench .venv/bin/python bench/score.py
"""

from __future__ import annotations

import argparse
import random
import time

from _setup import best_of, django_on_bench_db, summary

ENTERED = ("one_off", "per_occurrence", "proportional", "count_threshold", "discretionary")


def build(units: int, rows: int) -> None:
    from datetime import date, timedelta
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from kaohe.actions.schemes import do_load_scheme as load_scheme
    from kaohe.models import EconomicFigure, LedgerEntry, Scheme, Unit, UnitGroup

    scheme = Scheme.objects.filter(code="town-2026").first() or load_scheme("town", 2026)
    if Unit.objects.count() == units and LedgerEntry.objects.filter(scheme=scheme).count() == rows:
        return
    print(f"building {units:,} units and {rows:,} ledger rows …", flush=True)
    started = time.perf_counter()
    rnd = random.Random(7)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in (LedgerEntry, EconomicFigure):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        Unit.history.model.objects.all().delete()
        Unit.objects.all().delete()
        town = UnitGroup.objects.get(code="town")
        Unit.objects.bulk_create([Unit(name=f"镇{n:05d}", group=town) for n in range(units)], batch_size=1000)
        unit_ids = list(Unit.objects.values_list("id", flat=True))
        rules = list(scheme.rules.filter(kind__in=ENTERED).values_list("id", "kind", "min_points"))
        EconomicFigure.objects.bulk_create(
            [EconomicFigure(scheme=scheme, unit_id=u, indicator=ind, year=2026, month=12, target=Decimal(1000),
                            actual=Decimal(rnd.randrange(900, 1200)))
             for u in unit_ids for ind in scheme.economic_indicators.all()], batch_size=2000)
        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        first = date(2026, 1, 1)
        sql = (f"INSERT INTO {LedgerEntry._meta.db_table} (scheme_id, unit_id, rule_id, quantity, points, date, "
               "note, batch_id, reverses_id, created_at, created_by_id) "
               "VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, NULL, %s, NULL)")
        chunk = []
        for n in range(rows):
            rule_id, kind, low = rules[n % len(rules)]
            quantity, points = "1", None
            if kind == "proportional":
                quantity = str(Decimal(rnd.randrange(0, 101)) / 100)
            elif kind == "count_threshold":
                quantity = str(rnd.randrange(0, 4))
            elif kind == "discretionary":
                points = str(Decimal(rnd.randrange(int(low * 2), 1)) / 2)
            day = ops.adapt_datefield_value(first + timedelta(days=rnd.randrange(365)))
            chunk.append((scheme.pk, unit_ids[rnd.randrange(units)], rule_id, quantity, points, day, "", now))
            if len(chunk) == 20_000:
                with connection.cursor() as cursor:
                    cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            with connection.cursor() as cursor:
                cursor.executemany(sql, chunk)
    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE TABLE {LedgerEntry._meta.db_table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="also time scoring with every row explained")
    args = parser.parse_args()
    url = django_on_bench_db("score")
    build(args.units, args.rows)

    from django.db import connection

    from kaohe.models import LedgerEntry, Scheme
    from kaohe.services.scoring import score

    scheme = Scheme.objects.get(code="town-2026")
    table = LedgerEntry._meta.db_table

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT unit_id, rule_id, COUNT(*), SUM(quantity), SUM(points) FROM {table} "
                           "WHERE scheme_id = %s GROUP BY unit_id, rule_id", [scheme.pk])
            return cursor.fetchall()

    from kaohe.actions.aggregates import do_recompute_scores
    from kaohe.services.aggregates import current_state

    if current_state(scheme.pk) is None:
        do_recompute_scores(scheme)  # the stored totals, as every write through an action keeps them

    bare()  # warm the page cache for all three
    bare_s, groups = best_of(args.runs, bare)
    score_s, result = best_of(args.runs, lambda: score(scheme, explain=False))
    stored_s, stored = best_of(args.runs, lambda: score(scheme, explain=False, stored=True))
    assert [(u.unit, u.total, u.rank) for u in stored.units] == [(u.unit, u.total, u.rank) for u in result.units]
    ranked = sum(1 for u in result.units if u.rank is not None)
    print(f"database        {connection.vendor} ({url.split('@')[-1]})")
    rows = LedgerEntry.objects.filter(scheme=scheme).count()
    print(f"ledger rows     {rows:,} in {len(groups):,} (unit, rule) groups")
    print(f"units scored    {len(result.units):,} ({ranked:,} ranked)")
    print(f"bare GROUP BY   {bare_s:.3f} s")
    print(f"score scheme    {score_s:.3f} s  (from the ledger: score --recompute)")
    print(f"ratio           {score_s / bare_s:.2f}  (target ≤ 2, and ≤ 3 s on SQLite)")
    print(f"score stored    {stored_s:.3f} s  (from the stored per unit × rule totals: score)")
    print(f"ratio stored    {stored_s / bare_s:.2f}")
    summary("score", "score from the ledger (--recompute)", score_s, "bare GROUP BY", bare_s, "≤ 2")
    summary("score", "score from the stored totals", stored_s, "bare GROUP BY", bare_s, "≤ 2")
    if args.explain:
        explain_s, _ = best_of(1, lambda: score(scheme, explain=True))
        print(f"score + every row explained  {explain_s:.3f} s  (ratio {explain_s / bare_s:.2f})")


if __name__ == "__main__":
    main()
