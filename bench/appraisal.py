"""Scoring an employee appraisal vs a bare SQL aggregate of the same ratings, in one run.

10,000 employees in 20 departments × 20 criteria × 10 raters (360°: 1 superior, 5 peers,
4 subordinates) = 2,000,000 ratings, built once and reused. The scheme has 4 dimensions of 5
criteria, rater-group weights and minimums, and a 20 % quota on 优秀 per department.
Usage: .venv/bin/python bench/appraisal.py [--people N] [--runs N]
       DATABASE_URL=mysql://root@127.0.0.1:3306/kaohe_bench .venv/bin/python bench/appraisal.py
"""

from __future__ import annotations

import argparse
import random
import time

from _setup import OUT, best_of, django_on_bench_db, summary

CRITERIA = 20
DEPARTMENTS = 20
RATERS = [("superior", 1), ("peer", 5), ("subordinate", 4)]


def scheme_file() -> str:
    lines = ['[scheme]', 'family = "bench-appraisal"', 'method = "weighted"', 'code = "bench-appraisal-{year}"',
             'name = "bench"', '[scale]', 'A = "95"', 'B = "85"', 'C = "70"', 'D = "50"']
    for d in range(DEPARTMENTS):
        lines += ['[[groups]]', f'code = "d{d:02d}"', f'name = "部门{d:02d}"']
    for code, minimum, quota in (("优秀", 90, "0.20"), ("良好", 80, None), ("合格", 60, None), ("不合格", 0, None)):
        lines += ['[[grades]]', f'code = "{code}"', f'min = "{minimum}"'] + ([f'quota = "{quota}"'] if quota else [])
    lines += ['[[sources]]', 'code = "r360"', 'name = "360"', 'weight = "100"']
    for code, weight in (("superior", 50), ("peer", 30), ("subordinate", 20)):
        lines += ['  [[sources.groups]]', f'  code = "{code}"', f'  name = "{code}"', f'  weight = "{weight}"',
                  f'  min = {1 if code == "superior" else 3}']
    for dim in range(1, 5):
        lines += ['[[items]]', f'code = "{dim}"', f'name = "维度{dim}"', 'weight = "25"']
        for c in range(1, 6):
            lines += ['[[items]]', f'code = "{dim}.{c}"', f'name = "指标{dim}.{c}"', 'weight = "20"',
                      '[[rules]]', f'code = "{dim}.{c}"', f'item = "{dim}.{c}"', 'kind = "rating"',
                      f'name = "指标{dim}.{c}"']
    path = OUT / "bench-appraisal.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(people: int):
    from datetime import date

    from django.db import connection, transaction

    from kaohe.actions.schemes import do_load_scheme as load_scheme
    from kaohe.models import Rating, Scheme, Unit, UnitGroup

    scheme = Scheme.objects.filter(code="bench-appraisal-2026").first() or load_scheme(
        "bench-appraisal", 2026, scheme_file())
    expected = people * CRITERIA * sum(n for _g, n in RATERS)
    if Rating.objects.filter(scheme=scheme).count() == expected:
        return scheme
    print(f"building {people:,} people and {expected:,} ratings …", flush=True)
    started = time.perf_counter()
    rnd = random.Random(11)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Rating._meta.db_table}")
        Unit.history.model.objects.all().delete()
        Unit.objects.all().delete()
        groups = list(UnitGroup.objects.filter(code__startswith="d").order_by("code"))
        Unit.objects.bulk_create([Unit(name=f"员工{n:05d}", group=groups[n % len(groups)]) for n in range(people)],
                                 batch_size=2000)
        unit_ids = list(Unit.objects.values_list("id", flat=True))
        rules = list(scheme.rules.values_list("id", flat=True))
        source = scheme.sources.get().pk
        day = connection.ops.adapt_datefield_value(date(2026, 12, 31))
        sql = (f"INSERT INTO {Rating._meta.db_table} (scheme_id, unit_id, rule_id, source_id, rater_group, rater, "
               "period, date, value, letter, note, batch_id) "
               "VALUES (%s, %s, %s, %s, %s, %s, '2026', %s, %s, %s, '', NULL)")
        letters = [("A", "95"), ("B", "85"), ("C", "70"), ("D", "50")]
        chunk = []
        for unit_id in unit_ids:
            skill = rnd.uniform(0, 2)
            for rule_id in rules:
                for group, count in RATERS:
                    for n in range(count):
                        letter, value = letters[min(3, max(0, round(rnd.gauss(skill, 0.8))))]
                        chunk.append((scheme.pk, unit_id, rule_id, source, group, f"{group}{n}", day, value, letter))
                if len(chunk) >= 50_000:
                    with connection.cursor() as cursor:
                        cursor.executemany(sql, chunk)
                    chunk = []
        if chunk:
            with connection.cursor() as cursor:
                cursor.executemany(sql, chunk)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE TABLE {Rating._meta.db_table}" if connection.vendor == "mysql" else "ANALYZE")
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    return scheme


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = django_on_bench_db("appraisal")
    scheme = build(args.people)

    from django.db import connection

    from kaohe.models import Rating
    from kaohe.services.scoring import score

    table = Rating._meta.db_table

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT unit_id, rule_id, source_id, rater_group, COUNT(*), SUM(value) FROM {table} "
                           "WHERE scheme_id = %s GROUP BY unit_id, rule_id, source_id, rater_group", [scheme.pk])
            return cursor.fetchall()

    bare()  # warm the page cache for both
    bare_s, groups = best_of(args.runs, bare)
    score_s, result = best_of(args.runs, lambda: score(scheme, explain=False))
    graded = sum(1 for u in result.units if u.grade)
    print(f"database        {connection.vendor} ({url.split('@')[-1]})")
    print(f"ratings         {Rating.objects.filter(scheme=scheme).count():,} in {len(groups):,} groups "
          "(person, criterion, source, rater group)")
    print(f"people scored   {len(result.units):,} ({graded:,} graded)")
    print(f"bare GROUP BY   {bare_s:.3f} s")
    print(f"score scheme    {score_s:.3f} s")
    print(f"ratio           {score_s / bare_s:.2f}  (target ≤ 2)")
    summary("appraisal", "score 2,000,000 ratings", score_s, "bare GROUP BY", bare_s, "≤ 2")


if __name__ == "__main__":
    main()
