"""Loads a scheme's facts from the database and hands them to the pure engine.

The heavy part, summing the ledger per (unit, rule), is one GROUP BY in the database. On SQLite,
where DECIMAL columns are stored as binary floats, each value is summed as whole ten-thousandths
so the sum stays exact; MariaDB and PostgreSQL sum DECIMAL exactly by themselves.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection

from kaohe.models import EconomicFigure, LedgerEntry, Scheme, Unit
from kaohe.scoring import AsOf, Figure, Row, SchemeResult, Tally, UnitFact, score_scheme
from kaohe.scoring.spec import ROW_KINDS, Kind

from .spec import scheme_spec

SCALE = 4  # the ledger's decimal places


def month_end(as_of: AsOf) -> date:
    return date(as_of.year, as_of.month, calendar.monthrange(as_of.year, as_of.month)[1])


def score(
    scheme: Scheme, as_of: AsOf | None = None, group: str | None = None, explain: bool = True
) -> SchemeResult:
    """Score ``scheme`` as of the end of ``as_of`` (default: December of its year).

    ``explain`` loads every ledger row so each item lists the rows behind it; without it the
    rows are summed in the database and only row-level rules load theirs.
    """
    spec = scheme_spec(scheme)
    as_of = as_of or AsOf(scheme.year, 12)
    groups = [g.code for g in spec.groups]
    if group:
        groups = [g for g in groups if g == group]
    units = list(Unit.objects.filter(active=True, group__code__in=groups).values_list("id", "name", "group__code"))
    names = {uid: name for uid, name, _g in units}
    rules = dict(scheme.rules.values_list("id", "code"))
    row_rules = set(scheme.rules.filter(kind__in=[*ROW_KINDS, Kind.VETO]).values_list("id", flat=True))

    cutoff = month_end(as_of)
    sums = _sums(scheme.pk, cutoff)
    rows = _rows(scheme.pk, cutoff, None if explain else row_rules, row_kind_rules=row_rules)
    tallies = []
    for (unit_id, rule_id), (count, quantity, points) in sums.items():
        if unit_id not in names:
            continue
        tallies.append(
            Tally(names[unit_id], rules[rule_id], count, quantity, points, tuple(rows.get((unit_id, rule_id), ())))
        )

    figures = [
        Figure(names[u], code, AsOf(y, m), target, actual)
        for u, code, y, m, target, actual in EconomicFigure.objects.filter(scheme=scheme, unit_id__in=names)
        .values_list("unit_id", "indicator__code", "year", "month", "target", "actual")
        if (y, m) <= (as_of.year, as_of.month)
    ]
    facts = [UnitFact(name, group_code) for _uid, name, group_code in units]
    return score_scheme(spec, facts, tallies, figures, as_of)


def _sums(scheme_id: int, cutoff: date) -> dict[tuple[int, int], tuple[int, Decimal, Decimal]]:
    table = LedgerEntry._meta.db_table
    if connection.vendor == "sqlite":
        q_sum = f"SUM(CAST(ROUND(quantity * {10**SCALE}) AS INTEGER))"
        p_sum = f"SUM(CAST(ROUND(points * {10**SCALE}) AS INTEGER))"
    else:
        q_sum, p_sum = "SUM(quantity)", "SUM(points)"
    sql = (
        f"SELECT unit_id, rule_id, COUNT(*), {q_sum}, {p_sum} FROM {table} "
        "WHERE scheme_id = %s AND date <= %s GROUP BY unit_id, rule_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scheme_id, cutoff])
        fetched = cursor.fetchall()
    if connection.vendor == "sqlite":
        return {
            (u, r): (n, Decimal(q or 0).scaleb(-SCALE), Decimal(p or 0).scaleb(-SCALE))
            for u, r, n, q, p in fetched
        }
    return {(u, r): (n, Decimal(q or 0), Decimal(p or 0)) for u, r, n, q, p in fetched}


def _rows(
    scheme_id: int, cutoff: date, rule_ids: set[int] | None, row_kind_rules: set[int]
) -> dict[tuple[int, int], list[Row]]:
    entries = LedgerEntry.objects.filter(scheme_id=scheme_id, date__lte=cutoff)
    if rule_ids is not None:
        if not rule_ids:
            return {}
        entries = entries.filter(rule_id__in=rule_ids)
    fetched = list(
        entries.order_by("unit_id", "rule_id", "date", "id").values_list(
            "id", "unit_id", "rule_id", "date", "quantity", "points", "note", "reverses_id"
        )
    )
    # A reversed row and its reversal cancel; rules that read single rows must not see either.
    cancelled = {rev for *_rest, rev in fetched if rev is not None}
    grouped: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for pk, unit_id, rule_id, day, quantity, points, note, reverses in fetched:
        if rule_id in row_kind_rules and (pk in cancelled or reverses is not None):
            continue
        grouped[(unit_id, rule_id)].append(Row(pk, day.isoformat(), quantity, points, note))
    return grouped
