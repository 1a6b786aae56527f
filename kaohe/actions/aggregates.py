"""Keeps the stored per unit × rule totals and the standings current, inside the writing action's transaction.

A ledger write adds its rows to the totals of their unit and rule for their month and every later
month (one upsert per cell, never a read of the ledger), re-scores the units it touched with the pure
engine, and re-ranks their groups from the stored ranking keys: the cost follows the rows of the
changed units, not the size of the ledger. Anything it cannot trust (no stored state yet, or rules,
units or figures changed since the standings were built) is rebuilt instead. Signed and published
results live elsewhere and are never touched here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from kaohe.models import LedgerEntry, RuleTotal, Scheme, ScoreState, Standing, Unit
from kaohe.scoring import AsOf, Method, SchemeSpec, UnitResult, score_scheme
from kaohe.scoring.batch import collector_paused
from kaohe.scoring.ranking import group_slots, rank_keys, tie_key
from kaohe.scoring.serial import unit_to_data
from kaohe.services.aggregates import YEAR_END, inputs_mark, ledger_high, month_of, spec_for
from kaohe.services.scoring import SCALE, load_facts, month_end

from .audit import audit

LedgerFact = tuple[int, int, date, Decimal, Decimal | None]  # unit_id, rule_id, date, quantity, points

_UPSERT_TAIL = {
    "sqlite": " ON CONFLICT (scheme_id, unit_id, rule_id, month) DO UPDATE SET count = count + excluded.count, "
              "quantity = quantity + excluded.quantity, points = points + excluded.points",
    "mysql": " ON DUPLICATE KEY UPDATE count = count + VALUES(count), quantity = quantity + VALUES(quantity), "
             "points = points + VALUES(points)",
    "postgresql": " ON CONFLICT (scheme_id, unit_id, rule_id, month) DO UPDATE SET count = t.count + EXCLUDED.count, "
                  "quantity = t.quantity + EXCLUDED.quantity, points = t.points + EXCLUDED.points",
}


def absorb_ledger_rows(scheme: Scheme, rows: Iterable[LedgerFact], newest_id: int) -> None:
    """Bring the totals and standings up to date with ledger rows just written (``newest_id``: the highest id)."""
    state = ScoreState.objects.select_for_update().filter(scheme=scheme).first()
    if state is None:
        rebuild_scores(scheme)  # never built: build from the whole ledger once, these rows included
        return
    cells: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(dict)
    for unit_id, rule_id, day, quantity, points in rows:
        month = month_of(day, scheme.year)
        if month > YEAR_END:
            continue
        cell = cells[(unit_id, rule_id)].setdefault(month, [0, 0, 0])
        cell[0] += 1
        cell[1] += _scaled(quantity)
        cell[2] += _scaled(points)
    _add_to_totals(scheme.pk, cells)
    state.ledger_high = max(state.ledger_high, newest_id)
    first = min((m for months in cells.values() for m in months), default=YEAR_END + 1)
    _restand(scheme, state, {u for u, _r in cells}, first)


def absorb_entries(entries: list[LedgerEntry]) -> None:
    """:func:`absorb_ledger_rows` for rows written one by one as model instances."""
    by_scheme: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_scheme[entry.scheme_id].append(entry)
    for written in by_scheme.values():
        absorb_ledger_rows(written[0].scheme, [(e.unit_id, e.rule_id, e.date, e.quantity, e.points) for e in written],
                           max(e.pk for e in written))


def refresh_standings(scheme: Scheme, from_month: int = 1) -> None:
    """Re-score every unit from the stored totals, e.g. after new economic figures for ``from_month``."""
    state = ScoreState.objects.select_for_update().filter(scheme=scheme).first()
    if state is None:
        return  # nothing stored yet; the first ledger write or ``score --recompute`` builds it all
    _restand(scheme, state, None, from_month)


@transaction.atomic
def do_recompute_scores(scheme: Scheme, *, months: Iterable[int] = (), acting_user=None) -> ScoreState:
    """Rebuild the totals and standings of ``scheme`` from the ledger (``score --recompute``)."""
    state = rebuild_scores(scheme, months)
    audit(acting_user, "scores.recompute", scheme=scheme, target=scheme,
          after={"months": state.months, "ledger_high": state.ledger_high})
    return state


def rebuild_scores(scheme: Scheme, months: Iterable[int] = ()) -> ScoreState:
    state = ScoreState.objects.select_for_update().filter(scheme=scheme).first() or ScoreState(scheme=scheme)
    kept = sorted({*_months(state.months if state.pk else ""), *months, YEAR_END})
    state.months = ",".join(str(m) for m in kept)
    state.ledger_high = ledger_high(scheme.pk)
    _rebuild_totals(scheme)
    _restand(scheme, state, None, 1, rebuild=True)
    return state


def _scaled(value: Decimal | None) -> int:
    return 0 if value is None else int(value.scaleb(SCALE).to_integral_value())


def _months(text: str) -> list[int]:
    return [int(m) for m in text.split(",") if m]


def _add_to_totals(scheme_id: int, cells: dict[tuple[int, int], dict[int, list[int]]]) -> None:
    """Each (unit, rule)'s new rows into the cells of their month and every later one: insert or add."""
    params = []
    for (unit_id, rule_id), by_month in cells.items():
        count = quantity = points = 0
        for month in range(min(by_month), YEAR_END + 1):
            added = by_month.get(month)
            if added is not None:
                count, quantity, points = count + added[0], quantity + added[1], points + added[2]
            params.append((scheme_id, unit_id, rule_id, month, count, quantity, points))
    table = RuleTotal._meta.db_table
    alias = " AS t" if connection.vendor == "postgresql" else ""
    sql = (f"INSERT INTO {table}{alias} (scheme_id, unit_id, rule_id, month, count, quantity, points) "
           f"VALUES (%s, %s, %s, %s, %s, %s, %s){_UPSERT_TAIL[connection.vendor]}")
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start:start + 5000])


def _rebuild_totals(scheme: Scheme) -> None:
    """Every cell from the ledger: one GROUP BY per month over the covering index."""
    table, ledger = RuleTotal._meta.db_table, LedgerEntry._meta.db_table
    scaled = f"ROUND(%s * {10 ** SCALE})"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE scheme_id = %s", [scheme.pk])
        for month in range(1, YEAR_END + 1):
            cursor.execute(
                f"INSERT INTO {table} (scheme_id, unit_id, rule_id, month, count, quantity, points) "
                f"SELECT scheme_id, unit_id, rule_id, %s, COUNT(*), SUM({scaled % 'quantity'}), "
                f"COALESCE(SUM({scaled % 'points'}), 0) FROM {ledger} WHERE scheme_id = %s AND date <= %s "
                "GROUP BY scheme_id, unit_id, rule_id",
                [month, scheme.pk, connection.ops.adapt_datefield_value(month_end(AsOf(scheme.year, month)))],
            )


def _restand(scheme: Scheme, state: ScoreState, unit_ids: set[int] | None, from_month: int,
             rebuild: bool = False) -> None:
    """Re-score ``unit_ids`` (None: all) for every kept month from ``from_month`` on, and re-rank their groups."""
    mark = inputs_mark(scheme.pk)
    if mark != state.inputs:
        rebuild, unit_ids, from_month = True, None, 1  # rules, units or figures changed: score everyone again
    state.inputs = mark
    state.save()
    if scheme.method != Method.POINTS:
        return  # only points schemes are scored from the ledger
    spec = spec_for(scheme, mark)
    names = None
    if unit_ids is not None:
        names = sorted(Unit.objects.filter(pk__in=unit_ids).values_list("name", flat=True))
    with collector_paused():
        for month in _months(state.months):
            if month < from_month:
                continue
            as_of = AsOf(scheme.year, month)
            facts = load_facts(scheme, as_of, explain=False, units=names, stored=True, checked=False, spec=spec)
            result = score_scheme(spec, facts.units, facts.tallies, facts.figures, as_of, with_lines=False)
            if rebuild:
                Standing.objects.filter(scheme=scheme, month=month).delete()
                _write_standings(scheme, spec, month, result.units, insert=True)
                _rerank(scheme, spec, month, {u.group for u in result.units})
            else:
                _write_standings(scheme, spec, month, result.units, insert=False)
                _rerank(scheme, spec, month, {u.group for u in result.units})


def _write_standings(scheme: Scheme, spec: SchemeSpec, month: int, units: Iterable[UnitResult], insert: bool) -> None:
    ids = dict(Unit.objects.filter(name__in=[u.unit for u in units]).values_list("name", "id"))
    rows = [
        Standing(scheme=scheme, unit_id=ids[u.unit], month=month, group=u.group,
                 eligible=not u.vetoed and not u.unscored,
                 key=" ".join(format(k, "f") for k in tie_key(u, spec.tie_breakers)),
                 result=unit_to_data(replace(u, rank=None, prize=None)))
        for u in units
    ]
    if not insert:
        found = set(Standing.objects.filter(scheme=scheme, month=month, unit_id__in=[r.unit_id for r in rows])
                    .values_list("unit_id", flat=True))
        changed = [r for r in rows if r.unit_id in found]
        for row in changed:
            Standing.objects.filter(scheme=scheme, month=month, unit_id=row.unit_id).update(
                group=row.group, eligible=row.eligible, key=row.key, result=row.result)
        rows = [r for r in rows if r.unit_id not in found]
    Standing.objects.bulk_create(rows, batch_size=500)


def _rerank(scheme: Scheme, spec: SchemeSpec, month: int, groups: set[str]) -> None:
    """Ranks and prizes of whole groups from their stored keys; only the rows whose place moved are written."""
    for group in sorted(groups):
        stored = Standing.objects.filter(scheme=scheme, month=month, group=group)
        if connection.vendor != "sqlite":
            stored = stored.select_for_update()  # see the latest committed keys, not this transaction's snapshot
        members = list(stored.values_list("unit_id", "key", "eligible", "rank", "prize"))
        places = rank_keys([(unit_id, tuple(Decimal(k) for k in key.split(" ")), eligible)
                            for unit_id, key, eligible, _rank, _prize in members], group_slots(spec, group))
        moved = [(*places[unit_id], scheme.pk, month, unit_id)
                 for unit_id, _key, _eligible, rank, prize in members if places[unit_id] != (rank, prize)]
        if moved:
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {Standing._meta.db_table} SET rank = %s, prize = %s "
                                   "WHERE scheme_id = %s AND month = %s AND unit_id = %s", moved)
