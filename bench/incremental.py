"""One new ledger row through the action, with its unit re-scored and its group re-ranked, vs a full recompute.

Loads the 1,000,000-row ledger of bench/score.py (built once in a database of its own), builds the stored
totals and standings once, then writes ``--writes`` single rows through ``do_record_entry`` (validation,
locks, audit, totals, standings and ranks, all in the action's transaction) and prints the median and p99
milliseconds per write. The baseline, measured in the same run: scoring the whole scheme from the ledger.
Usage: .venv/bin/python bench/incremental.py [--writes N] [--units N] [--rows N]
       DATABASE_URL=mysql://root@127.0.0.1:3306/kaohe_perf_inc .venv/bin/python bench/incremental.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _setup import best_of, django_on_bench_db, summary
from score import build


def forget_earlier_runs() -> None:
    """The rows an earlier run wrote, so the million-row ledger is reused rather than built again."""
    from django.db import connection

    from kaohe.models import LedgerEntry

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE note LIKE %s OR note LIKE %s",
                       ["bench %", "bare %"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--rollback-journal", action="store_true",
                        help="SQLite: keep the default rollback journal (two fsyncs per commit) instead of WAL")
    args = parser.parse_args()
    url = django_on_bench_db("incremental")
    forget_earlier_runs()
    build(args.units, args.rows)

    from django.db import connection

    journal = "rollback journal, synchronous=FULL" if connection.vendor == "sqlite" else "InnoDB"
    if connection.vendor == "sqlite" and not args.rollback_journal:
        # What a production SQLite runs with: commits append to the write-ahead log, fsynced at checkpoints.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        journal = "WAL, synchronous=NORMAL"

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from kaohe.actions import ledger as ledger_actions
    from kaohe.actions.aggregates import do_recompute_scores
    from kaohe.actions.ledger import do_record_entry
    from kaohe.models import LedgerEntry, Membership, Scheme, Standing
    from kaohe.services.aggregates import stored_ranking
    from kaohe.services.scoring import score

    scheme = Scheme.objects.get(code="town-2026")
    admin = get_user_model().objects.filter(username="bench-admin").first()
    if admin is None:
        admin = get_user_model().objects.create_user("bench-admin", is_staff=True)
        Membership.objects.create(user=admin, role="admin")

    rebuild_s, _state = best_of(1, lambda: do_recompute_scores(scheme))
    full_s, _result = best_of(3, lambda: score(scheme, explain=False))
    lookup_s, looked_up = best_of(3, lambda: stored_ranking(scheme))
    assert looked_up is not None

    units = [name for name in scheme.groups.values_list("group__units__name", flat=True) if name]
    rules = list(scheme.rules.filter(kind__in=["per_occurrence", "one_off", "discretionary"])
                 .values_list("code", "kind", "min_points"))
    # Time the part this write path adds (totals, re-score, re-rank) apart from the action's own checks.
    hook_times = []
    absorb = ledger_actions.absorb_ledger_rows

    def timed_absorb(*args, **kwargs):
        start = time.perf_counter()
        absorb(*args, **kwargs)
        hook_times.append(time.perf_counter() - start)

    ledger_actions.absorb_ledger_rows = timed_absorb
    rnd = random.Random(11)
    before = LedgerEntry.objects.filter(scheme=scheme).count()
    times = []
    for n in range(args.writes):
        code, kind, low = rules[rnd.randrange(len(rules))]
        points = str(rnd.randrange(int(low * 2), 1) / 2) if kind == "discretionary" else ""
        cells = {"unit": units[rnd.randrange(len(units))], "rule": code, "quantity": "1", "points": points,
                 "date": f"2026-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}", "note": f"bench {n}"}
        start = time.perf_counter()
        do_record_entry(scheme, cells=cells, acting_user=admin)
        times.append(time.perf_counter() - start)
    assert LedgerEntry.objects.filter(scheme=scheme).count() == before + args.writes

    # The stored ranking after all the writes is exactly the one a full recompute gives.
    stored, full = stored_ranking(scheme), score(scheme, explain=False)
    assert {r["unit"]: (r["total"], r["rank"], r["prize"]) for r in stored} == {
        u.unit: (u.total, u.rank, u.prize) for u in full.units}

    # The floor, in the same run: one bare INSERT of a ledger row and its commit, no validation and no scoring.
    table = LedgerEntry._meta.db_table
    unit_id, rule_id = LedgerEntry.objects.values_list("unit_id", "rule_id").first()
    bare = []
    for n in range(min(args.writes, 200)):
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (scheme_id, unit_id, rule_id, quantity, points, date, note, "
                           "created_at) VALUES (%s, %s, %s, 1, NULL, %s, %s, %s)",
                           [scheme.pk, unit_id, rule_id, "2026-06-01", f"bare {n}",
                            connection.ops.adapt_datetimefield_value(timezone.now())])
        bare.append(time.perf_counter() - start)

    times.sort()
    median = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    print(f"database          {connection.vendor} ({url.split('@')[-1]}; {journal})")
    print(f"ledger rows       {before:,} + {args.writes:,} single-row writes")
    print(f"standings         {Standing.objects.filter(scheme=scheme).count():,} (unit × kept month)")
    print(f"rebuild stored    {rebuild_s:.3f} s  (score --recompute's rebuild, once)")
    print(f"full recompute    {full_s:.3f} s  (score from the ledger; the baseline)")
    print(f"ranking lookup    {lookup_s * 1000:.1f} ms  (every unit's total, rank and prize, stored)")
    print(f"write + re-rank   median {median:.2f} ms, p99 {p99:.2f} ms  (target ≤ 10 ms)")
    hook_times.sort()
    print(f"  of which stored median {statistics.median(hook_times) * 1000:.2f} ms, "
          f"p99 {hook_times[int(len(hook_times) * 0.99) - 1] * 1000:.2f} ms  (totals, re-score, re-rank)")
    print(f"bare insert       median {statistics.median(bare) * 1000:.2f} ms  (one INSERT + commit: the floor)")
    bare_ms = statistics.median(bare) * 1000
    print(f"ratio             {median / bare_ms:.2f}  (median write / bare insert); "
          f"{median / 1000 / full_s:.4f} of a full recompute")
    summary("incremental", "one row written, median", median / 1000, "full recompute", full_s, "≤ 10 ms")
    summary("incremental", "one row written, p99", p99 / 1000, "full recompute", full_s, "≤ 10 ms")
    summary("incremental", "of which stored state, median", statistics.median(hook_times), "bare INSERT + commit",
            bare_ms / 1000, "—")


if __name__ == "__main__":
    main()
