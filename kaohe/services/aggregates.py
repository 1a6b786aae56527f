"""Reads of the stored per unit × rule totals and standings (see ``kaohe.doctype.aggregate``).

A stored read is used only while it is current: the state must have absorbed the newest ledger row
and been built from the same rules, items, groups, units and economic figures as now. Otherwise the
callers score from the ledger, which is always right, only slower.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from django.db import connection
from django.db.models import F, QuerySet, Subquery

from kaohe.models import (
    EconomicFigure,
    EconomicIndicator,
    Indicator,
    LedgerEntry,
    Rule,
    RuleTotal,
    Scheme,
    SchemeGroup,
    ScoreState,
    Standing,
    Unit,
)
from kaohe.scoring import AsOf, SchemeResult, SchemeSpec
from kaohe.scoring.serial import unit_from_data

from .spec import scheme_spec

YEAR_END = 12
_specs: dict[tuple[int, str], SchemeSpec] = {}
_rule_codes: dict[tuple[int, str], dict[int, str]] = {}
# (query, database vendor, scheme) → the query's compiled SQL and parameters: see compiled_row.
_compiled: dict[tuple[str, str, int], tuple[str, tuple]] = {}


def month_of(day: date, year: int) -> int:
    """The first month of ``year`` whose as-of cut-off includes ``day``: 13 when none does."""
    if day.year < year:
        return 1
    return day.month if day.year == year else YEAR_END + 1


def inputs_mark(scheme_id: int) -> str:
    """Changes whenever anything a stored standing was scored from changes, other than the ledger; one query."""
    return ".".join(str(part or 0) for part in compiled_row("inputs_mark", scheme_id, _mark_query))


def compiled_row(name: str, scheme_id: int, query_of: Callable[[int], QuerySet]) -> tuple | None:
    """The one row of the query ``query_of(scheme_id)`` (None without one), its SQL compiled once per process.

    For the queries of many subqueries that every write or page asks: building them through the ORM costs more
    than running them.
    """
    key = (name, connection.vendor, scheme_id)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compiled[key] = query_of(scheme_id).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchone()


def _mark_query(scheme_id: int) -> QuerySet:
    # Newest history row first, stopping at the first of this scheme: an index walk, not a scan of the history.
    newest = {
        "rules": Rule.history.filter(scheme_id=scheme_id),
        "items": Indicator.history.filter(scheme_id=scheme_id),
        "economic": EconomicIndicator.history.filter(scheme_id=scheme_id),
        "figures": EconomicFigure.history.filter(scheme_id=scheme_id),
        "groups": SchemeGroup.history.filter(scheme_id=scheme_id),
        "scheme": Scheme.history.filter(id=scheme_id),
        "units": Unit.history.all(),
    }
    return Scheme.objects.filter(pk=scheme_id).annotate(
        **{f"newest_{name}": Subquery(query.order_by("-history_id").values("history_id")[:1])
           for name, query in newest.items()}
    ).values_list(*(f"newest_{name}" for name in newest))


def spec_for(scheme: Scheme, mark: str) -> SchemeSpec:
    """The scheme's spec, built once per inputs mark (building it is most of a single unit's cost)."""
    key = (scheme.pk, mark)
    found = _specs.get(key)
    if found is None:
        if len(_specs) > 64:
            _specs.clear()
        found = _specs[key] = scheme_spec(scheme)
    return found


def rule_codes_for(scheme: Scheme, mark: str) -> dict[int, str]:
    """The scheme's rule codes by id, read once per inputs mark (rules are among the inputs)."""
    key = (scheme.pk, mark)
    found = _rule_codes.get(key)
    if found is None:
        if len(_rule_codes) > 64:
            _rule_codes.clear()
        found = _rule_codes[key] = dict(Rule.objects.filter(scheme=scheme).values_list("id", "code"))
    return found


def ledger_high(scheme_id: int) -> int:
    # Newest first rather than MAX(): InnoDB answers MAX(id) for one scheme by scanning the covering index.
    return LedgerEntry.objects.filter(scheme_id=scheme_id).order_by("-id").values_list("id", flat=True).first() or 0


def current_state(scheme_id: int) -> ScoreState | None:
    """The stored state when it covers the whole ledger of the scheme; None when it must be rebuilt."""
    state = ScoreState.objects.filter(scheme_id=scheme_id).first()
    if state is None or state.ledger_high != ledger_high(scheme_id):
        return None
    return state


def stored_totals(scheme_id: int, month: int, only: list[int] | None = None) -> list[tuple]:
    """(unit_id, rule_id, count, quantity, points) through ``month``; sums in ten-thousandths."""
    table = RuleTotal._meta.db_table
    sql = f"SELECT unit_id, rule_id, count, quantity, points FROM {table} WHERE scheme_id = %s AND month = %s"
    params: list = [scheme_id, month]
    if only is not None:
        sql += f" AND unit_id IN ({', '.join(['%s'] * len(only))})" if only else " AND 1 = 0"
        params += list(only)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def stored_result(scheme: Scheme, as_of: AsOf | None = None) -> SchemeResult | None:
    """Every unit's stored result with its rank and prize: a lookup. None unless stored and current."""
    as_of = as_of or AsOf(scheme.year, YEAR_END)
    if as_of.year != scheme.year:
        return None
    state = current_state(scheme.pk)
    if state is None or state.inputs != inputs_mark(scheme.pk):
        return None
    found = {unit_id: (data, rank, prize) for unit_id, data, rank, prize in Standing.objects.filter(
        scheme=scheme, month=as_of.month).values_list("unit_id", "result", "rank", "prize")}
    if not found:
        return None
    order = Unit.objects.filter(pk__in=found).values_list("id", flat=True)  # the ledger path's order
    units = []
    for unit_id in order:
        data, rank, prize = found[unit_id]
        units.append(replace(unit_from_data(data), rank=rank, prize=prize))
    return SchemeResult(scheme.code, str(as_of), as_of.year_end, tuple(units))


def stored_ranking(scheme: Scheme, as_of: AsOf | None = None) -> list[dict] | None:
    """Per unit its group, total, rank and prize, by group and rank: a lookup of the stored standings.

    None unless stored and current. The result is the same as ranking a full recompute.
    """
    as_of = as_of or AsOf(scheme.year, YEAR_END)
    if as_of.year != scheme.year:
        return None
    state = current_state(scheme.pk)
    if state is None or state.inputs != inputs_mark(scheme.pk):
        return None
    rows = list(Standing.objects.filter(scheme=scheme, month=as_of.month)
                .order_by("group", F("rank").asc(nulls_last=True), "-total", "unit__name")
                .values("unit__name", "group", "total", "rank", "prize", "eligible"))
    return [{"unit": r["unit__name"], "group": r["group"], "total": r["total"], "rank": r["rank"],
             "prize": r["prize"], "vetoed": not r["eligible"]} for r in rows] or None
