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
from django.utils import timezone

from kaohe.models import LedgerEntry, RuleTotal, Scheme, ScoreState, Standing
from kaohe.scoring import AsOf, Method, SchemeSpec, UnitResult, score_scheme
from kaohe.scoring.batch import collector_paused
from kaohe.scoring.ranking import group_slots, tie_key
from kaohe.scoring.serial import unit_to_data
from kaohe.services.aggregates import YEAR_END, inputs_mark, ledger_high, month_of, rule_codes_for, spec_for
from kaohe.services.scoring import SCALE, load_facts, month_end

from .audit import audit

LedgerFact = tuple[int, int, date, Decimal, Decimal | None]  # unit_id, rule_id, date, quantity, points

_UPSERT_TAIL = {
    "sqlite": " ON CONFLICT (scheme_id, month, unit_id, rule_id) DO UPDATE SET count = count + excluded.count, "
              "quantity = quantity + excluded.quantity, points = points + excluded.points",
    "mysql": " ON DUPLICATE KEY UPDATE count = count + VALUES(count), quantity = quantity + VALUES(quantity), "
             "points = points + VALUES(points)",
    "postgresql": " ON CONFLICT (scheme_id, month, unit_id, rule_id) DO UPDATE SET count = t.count + EXCLUDED.count, "
                  "quantity = t.quantity + EXCLUDED.quantity, points = t.points + EXCLUDED.points",
}


def absorb_ledger_rows(scheme: Scheme, rows: Iterable[LedgerFact], newest_id: int) -> None:
    """Bring the totals and standings up to date with ledger rows just written (``newest_id``: the highest id)."""
    state = _locked_state(scheme.pk)
    if state is None:
        rebuild_scores(scheme)  # never built: build from the whole ledger once, these rows included
        return
    cells: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(dict)
    months: dict[date, int] = {}
    scaled: dict[Decimal | None, int] = {}  # a file repeats a few dates and amounts many times
    for unit_id, rule_id, day, quantity, points in rows:
        month = months.get(day)
        if month is None:
            month = months[day] = month_of(day, scheme.year)
        if month > YEAR_END:
            continue
        by_month = cells[unit_id, rule_id]
        cell = by_month.get(month)
        if cell is None:
            cell = by_month[month] = [0, 0, 0]
        cell[0] += 1
        cell[1] += scaled[quantity] if quantity in scaled else scaled.setdefault(quantity, _scaled(quantity))
        cell[2] += scaled[points] if points in scaled else scaled.setdefault(points, _scaled(points))
    _add_to_totals(scheme.pk, cells)
    state.ledger_high = max(state.ledger_high, newest_id)
    first = min((m for m in months.values() if m <= YEAR_END), default=YEAR_END + 1)  # the earliest month added to
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
    state = _locked_state(scheme.pk)
    if state is None:
        return  # nothing stored yet; the first ledger write or ``score --recompute`` builds it all
    _restand(scheme, state, None, from_month)


@transaction.atomic
def do_recompute_scores(scheme: Scheme, *, months: Iterable[int] = (), acting_user=None, progress=None) -> ScoreState:
    """Rebuild the totals and standings of ``scheme`` from the ledger (``score --recompute``); ``progress(done,
    total)`` hears of each of the two steps (the totals, the standings)."""
    state = rebuild_scores(scheme, months, progress)
    audit(acting_user, "scores.recompute", scheme=scheme, target=scheme,
          after={"months": state.months, "ledger_high": state.ledger_high})
    return state


def rebuild_scores(scheme: Scheme, months: Iterable[int] = (), progress=None) -> ScoreState:
    state = ScoreState.objects.select_for_update().filter(scheme=scheme).first() or ScoreState(scheme=scheme)
    kept = sorted({*_months(state.months), *months, YEAR_END})
    state.months = ",".join(str(m) for m in kept)
    state.ledger_high = ledger_high(scheme.pk)
    _rebuild_totals(scheme)
    if progress is not None:
        progress(1, 2)
    _restand(scheme, state, None, 1, rebuild=True)
    if progress is not None:
        progress(2, 2)
    return state


def _locked_state(scheme_id: int) -> ScoreState | None:
    """The scheme's stored state, locked until the transaction ends; every write asks, so in plain SQL."""
    locking = "" if connection.vendor == "sqlite" else " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT inputs, ledger_high, months FROM {ScoreState._meta.db_table} WHERE scheme_id = %s"
                       f"{locking}", [scheme_id])
        found = cursor.fetchone()
    if found is None:
        return None
    state = ScoreState(scheme_id=scheme_id, inputs=found[0], ledger_high=found[1], months=found[2])
    state._state.adding = False
    return state


def _save_state(state: ScoreState) -> None:
    if state._state.adding:
        state.save()
        return
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ScoreState._meta.db_table} SET inputs = %s, ledger_high = %s, months = %s, "
                       "built_at = %s WHERE scheme_id = %s",
                       [state.inputs, state.ledger_high, state.months, ops.adapt_datetimefield_value(timezone.now()),
                        state.scheme_id])


def _scaled(value: Decimal | int | None) -> int:
    """Whole ten-thousandths; a model instance may still hold the int it was created with."""
    return 0 if value is None else int(Decimal(value).scaleb(SCALE).to_integral_value())


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
            params.append((scheme_id, month, unit_id, rule_id, count, quantity, points))
    params.sort()  # in the key's order: each upsert lands next to the one before
    table = RuleTotal._meta.db_table
    alias = " AS t" if connection.vendor == "postgresql" else ""
    sql = (f"INSERT INTO {table}{alias} (scheme_id, month, unit_id, rule_id, count, quantity, points) "
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
    _save_state(state)
    if scheme.method != Method.POINTS:
        return  # only points schemes are scored from the ledger
    spec, rule_codes = spec_for(scheme, mark), rule_codes_for(scheme, mark)
    chosen = None if unit_ids is None else sorted(unit_ids)
    with collector_paused():
        for month in _months(state.months):
            if month < from_month:
                continue
            as_of = AsOf(scheme.year, month)
            facts = load_facts(scheme, as_of, explain=False, unit_ids=chosen, stored=True, checked=False, spec=spec,
                               rule_codes=rule_codes)
            units = score_scheme(spec, facts.units, facts.tallies, facts.figures, as_of, with_lines=False).units
            ids = facts.ids
            rows = [_standing(scheme, spec, month, ids[u.unit], u) for u in units]
            if rebuild:
                Standing.objects.filter(scheme=scheme, month=month).delete()
                Standing.objects.bulk_create(rows, batch_size=500)
                moved = None
            else:
                moved = _rewrite(rows)
            if moved is not None and len(rows) == 1 and moved[0] is not None:
                if moved[0] != UNRANKED:  # an unranked unit that stays unranked moves no one
                    _rerank_between(scheme, spec, month, rows[0].group, *moved[0])
            else:
                for group in sorted({row.group for row in rows}):
                    _rerank(scheme, spec, month, group)


def ranking_key(values: Iterable[Decimal]) -> str:
    """Fixed-width digits whose text order is the order of the decimals: 10**-10 steps, offset to stay positive."""
    parts = []
    for value in values:
        steps = int(value.scaleb(KEY_PLACES))
        if steps != value.scaleb(KEY_PLACES) or abs(steps) >= KEY_OFFSET:
            raise ValueError(f"{value} does not fit a ranking key")
        parts.append(f"{steps + KEY_OFFSET:0{KEY_WIDTH}d}")
    return " ".join(parts)


KEY_PLACES, KEY_OFFSET, KEY_WIDTH = 10, 10**20, 21
UNRANKED = ()


def _standing(scheme: Scheme, spec: SchemeSpec, month: int, unit_id: int, unit: UnitResult) -> Standing:
    return Standing(scheme=scheme, unit_id=unit_id, month=month, group=unit.group,
                    eligible=not unit.vetoed and not unit.unscored, total=unit.total,
                    key=ranking_key(tie_key(unit, spec.tie_breakers)),
                    result=unit_to_data(replace(unit, rank=None, prize=None)))


def _rewrite(rows: list[Standing]) -> list[tuple | None]:
    """Update each unit's standing in place (insert the new ones). Per row: (old key, new key) when it stayed
    ranked in its group, UNRANKED when it stayed unranked (vetoed) in its group, else None.

    One read of the old standings and one batch of updates, however many units changed.
    """
    if not rows:
        return []
    table, key, grp = Standing._meta.db_table, connection.ops.quote_name("key"), connection.ops.quote_name("group")
    scheme_id, month = rows[0].scheme_id, rows[0].month
    where = "scheme_id = %s AND month = %s AND unit_id"
    before: dict[int, tuple] = {}
    with connection.cursor() as cursor:
        ids = [row.unit_id for row in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor.execute(f"SELECT unit_id, {grp}, eligible, {key} FROM {table} WHERE {where} "
                           f"IN ({', '.join(['%s'] * len(chunk))})", [scheme_id, month, *chunk])
            before.update((unit_id, (group, bool(ok), old)) for unit_id, group, ok, old in cursor.fetchall())
        total, result = Standing._meta.get_field("total"), Standing._meta.get_field("result")
        updates = [(row.group, row.eligible, total.get_db_prep_save(row.total, connection), row.key,
                    result.get_db_prep_save(row.result, connection), scheme_id, month, row.unit_id)
                   for row in rows if row.unit_id in before]
        if updates:
            cursor.executemany(f"UPDATE {table} SET {grp} = %s, eligible = %s, total = %s, {key} = %s, result = %s "
                               f"WHERE {where} = %s", updates)
    Standing.objects.bulk_create([row for row in rows if row.unit_id not in before], batch_size=500)
    moved = []
    for row in rows:
        old = before.get(row.unit_id)
        if old is None or old[0] != row.group or old[1] != row.eligible:
            moved.append(None)
        else:
            moved.append((old[2], row.key) if row.eligible else UNRANKED)
    return moved


def _rerank_between(scheme: Scheme, spec: SchemeSpec, month: int, group: str, old: str, new: str) -> None:
    """One ranked unit's key went from ``old`` to ``new``: only the ranked units between the two can move.

    A rank is one plus the number of greater keys, so units above both keys and below both keep theirs.
    """
    low, high = min(old, new), max(old, new)
    table, key, grp = Standing._meta.db_table, connection.ops.quote_name("key"), connection.ops.quote_name("group")
    where = f"scheme_id = %s AND month = %s AND {grp} = %s AND eligible = %s"
    params = [scheme.pk, month, group, True]
    locking = "" if connection.vendor == "sqlite" else " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where} AND {key} > %s", [*params, high])
        above = cursor.fetchone()[0]
        cursor.execute(f"SELECT unit_id, {key}, rank, prize FROM {table} WHERE {where} AND {key} >= %s "
                       f"AND {key} <= %s ORDER BY {key} DESC{locking}", [*params, low, high])
        between = cursor.fetchall()
        _write_places(cursor, scheme, month, _places(between, above, group_slots(spec, group)))


def _rerank(scheme: Scheme, spec: SchemeSpec, month: int, group: str) -> None:
    """Ranks and prizes of a whole group from its stored keys; only the rows whose place moved are written."""
    table, key, grp = Standing._meta.db_table, connection.ops.quote_name("key"), connection.ops.quote_name("group")
    # On MariaDB and PostgreSQL a locking read: the latest committed keys, not this transaction's snapshot.
    locking = "" if connection.vendor == "sqlite" else " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, {key}, rank, prize, eligible FROM {table} WHERE scheme_id = %s "
                       f"AND month = %s AND {grp} = %s ORDER BY {key} DESC{locking}", [scheme.pk, month, group])
        members = cursor.fetchall()
        ranked = [row[:4] for row in members if row[4]]
        unranked = [(unit_id, None, None) for unit_id, _k, rank, prize, ok in members
                    if not ok and (rank, prize) != (None, None)]
        _write_places(cursor, scheme, month, _places(ranked, 0, group_slots(spec, group)) + unranked)


def _places(ranked: list[tuple], above: int, slots: list[int]) -> list[tuple]:
    """(unit_id, key, rank, prize) in descending key order, ``above`` greater keys before them → the changed places.

    The same rule as :func:`kaohe.scoring.ranking.rank_keys`: ties share a rank and the next one is skipped.
    """
    changed = []
    previous, rank = None, 0
    for position, (unit_id, key, old_rank, old_prize) in enumerate(ranked, start=above + 1):
        if key != previous:
            rank, previous = position, key
        prize = slots[rank - 1] if rank <= len(slots) else None
        if (rank, prize) != (old_rank, old_prize):
            changed.append((unit_id, rank, prize))
    return changed


def _write_places(cursor, scheme: Scheme, month: int, changed: list[tuple]) -> None:
    if changed:
        cursor.executemany(f"UPDATE {Standing._meta.db_table} SET rank = %s, prize = %s "
                           "WHERE scheme_id = %s AND month = %s AND unit_id = %s",
                           [(rank, prize, scheme.pk, month, unit_id) for unit_id, rank, prize in changed])
