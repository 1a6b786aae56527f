"""Loads a scheme's facts from the database and hands them to the pure engine.

The heavy part, summing the ledger per (unit, rule), is one GROUP BY that a covering index
answers without touching the table. On SQLite, where DECIMAL columns are stored as binary
floats, each value is rounded to whole ten-thousandths before summing: every term and every
partial sum is then an integer-valued float below 2**53, so the sum is exact. MariaDB and
PostgreSQL sum DECIMAL exactly by themselves.

With ``stored=True`` the same per (unit, rule) sums are read from the totals every ledger write keeps
(``kaohe.doctype.aggregate``): one indexed lookup per as-of month instead of a GROUP BY of the ledger.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from kaohe.models import EconomicFigure, LedgerEntry, Measurement, Rating, Scheme, SurveyScore, Unit, UnitGroup
from kaohe.scoring import (
    AsOf,
    Figure,
    Measure,
    Method,
    RatingsByUnit,
    RatingTally,
    Row,
    SchemeResult,
    SchemeSpec,
    TalliesByUnit,
    Tally,
    UnitFact,
    score_scheme,
)
from kaohe.scoring.batch import collector_paused
from kaohe.scoring.spec import ROW_KINDS, Kind

from .aggregates import current_state, stored_totals
from .spec import scheme_spec

SCALE = 4  # the ledger's decimal places
FEW_UNITS = 20  # up to this many units, their row-reading rules' rows are read whole
QUANTUM = Decimal(1).scaleb(-SCALE)


def month_end(as_of: AsOf) -> date:
    return date(as_of.year, as_of.month, calendar.monthrange(as_of.year, as_of.month)[1])


def score(scheme: Scheme, as_of: AsOf | None = None, group: str | None = None, explain: bool = True,
          units: list[str] | None = None, *, stored: bool = False, spec: SchemeSpec | None = None) -> SchemeResult:
    """Score ``scheme`` as of the end of ``as_of`` (default: December of its year).

    ``explain`` loads every ledger row so each item lists the rows behind it; without it the
    rows are summed in the database and only rules that read single rows load theirs.
    ``units`` limits the result to those units (their ranks are then meaningless).
    ``stored``: read the per unit × rule sums from the stored totals (a lookup) when they are current,
    instead of summing the ledger; the result is the same. ``spec``: the scheme's spec, when already built
    (scoring one scheme for several months builds it once).
    """
    with collector_paused():
        facts = load_facts(scheme, as_of, group, explain, units, stored=stored, spec=spec)
        result = score_scheme(facts.spec, facts.units, facts.tallies, facts.figures, facts.as_of,
                              with_lines=explain, ratings=facts.ratings, measures=facts.measures)
        # The facts' hundreds of thousands of tallies go now, by their counts, rather than being walked
        # by the collection that comes due as soon as the collector resumes.
        del facts
    return result


@dataclass(frozen=True)
class Facts:
    spec: SchemeSpec
    as_of: AsOf
    units: list[UnitFact]
    tallies: TalliesByUnit | list[Tally]
    figures: list[Figure]
    ratings: RatingsByUnit | list[RatingTally] = ()
    measures: list[Measure] = ()
    ids: dict[str, int] | None = None  # unit name → id, for the units scored


def load_facts(
    scheme: Scheme,
    as_of: AsOf | None = None,
    group: str | None = None,
    explain: bool = True,
    units: list[str] | None = None,
    *,
    stored: bool = False,
    checked: bool = True,
    spec: SchemeSpec | None = None,
    unit_ids: list[int] | None = None,
    rule_codes: dict[int, str] | None = None,
) -> Facts:
    """Everything the engine needs to score ``scheme``, read from the database.

    ``stored``: the sums come from the stored totals (checked current first, unless ``checked`` is False,
    as when the action that keeps them current is the caller). ``spec``: the scheme's spec, if already built;
    ``rule_codes``: its rules' codes by id, likewise. ``unit_ids``: like ``units``, by id.
    """
    spec = spec or scheme_spec(scheme)
    as_of = as_of or AsOf(scheme.year, 12)
    groups = [g.code for g in spec.groups]
    if group:
        groups = [g for g in groups if g == group]
    few = units is not None or unit_ids is not None  # only some units: ask the database for theirs only
    if units is None and spec.method != Method.OBJECTIVES:
        units = _units_by_id(groups, unit_ids)  # plain SQL: every write and every whole-scheme score asks
    else:
        chosen = Unit.objects.filter(active=True, group__code__in=groups)
        if spec.method == Method.OBJECTIVES:  # only those who answer for a node are assessed
            chosen = chosen.filter(objectives__scheme=scheme).distinct()
        if units is not None:
            chosen = chosen.filter(name__in=units)
        if unit_ids is not None:
            chosen = chosen.filter(pk__in=unit_ids)
        units = list(chosen.values_list("id", "name", "group__code"))
    names = {uid: name for uid, name, _g in units}
    rules = rule_codes if rule_codes is not None else dict(scheme.rules.values_list("id", "code"))
    unit_facts = [UnitFact(name, group_code) for _uid, name, group_code in units]
    if spec.method != Method.POINTS:
        only = sorted(names) if few else None
        cutoff = month_end(as_of)
        return Facts(spec, as_of, unit_facts, [], [], _ratings(scheme, cutoff, names, rules, only),
                     _measures(scheme, cutoff, names, rules, objectives=spec.method == Method.OBJECTIVES),
                     ids={name: uid for uid, name in names.items()})
    kinds = {rule.code: rule.kind for rule in spec.rules}  # the spec knows each rule's kind: no query for it
    row_rules = {pk for pk, code in rules.items() if kinds.get(code) in (*ROW_KINDS, Kind.VETO)}

    cutoff = month_end(as_of)
    only = sorted(names) if few else None
    if explain:
        rows = _rows(scheme.pk, cutoff, None, row_rules, only)
    elif only is not None and len(only) <= FEW_UNITS:
        # A few units have a few rows each: one read of them all beats finding the latest ones apart.
        rows = _rows(scheme.pk, cutoff, row_rules, row_rules, only)
    else:
        latest_only = {pk for pk, code in rules.items() if kinds.get(code) == Kind.PROPORTIONAL}
        rows = _rows(scheme.pk, cutoff, row_rules - latest_only, row_rules, only)
        rows.update(_latest_rows(scheme.pk, cutoff, latest_only, only))
    if stored and not explain and as_of.year == scheme.year and (not checked or current_state(scheme.pk)):
        tallies = _tally_list(stored_totals(scheme.pk, as_of.month, only), names, rules, rows, _Decimals(integers=True))
    else:
        tallies = _tallies(scheme.pk, _until(cutoff, scheme.year), names, rules, rows, only)
    figures = _figures(scheme.pk, names, as_of, only)
    return Facts(spec, as_of, unit_facts, tallies, figures, ids={name: uid for uid, name in names.items()})


def _units_by_id(groups: list[str], unit_ids: list[int] | None) -> list[tuple[int, str, str]]:
    """(id, name, group code) of the active ``unit_ids`` (None: all) in ``groups``, in the units' usual order."""
    if not groups or (unit_ids is not None and not unit_ids):
        return []
    quote = connection.ops.quote_name
    chosen = "" if unit_ids is None else f" AND u.id IN ({', '.join(['%s'] * len(unit_ids))})"
    sql = (f"SELECT u.id, u.name, g.code FROM {Unit._meta.db_table} u "
           f"JOIN {UnitGroup._meta.db_table} g ON g.id = u.group_id WHERE u.active = %s "
           f"AND g.code IN ({', '.join(['%s'] * len(groups))}){chosen} ORDER BY g.{quote('order')}, u.name")
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, *groups, *(unit_ids or ())])
        return cursor.fetchall()


class _Decimals:
    """Exact Decimals from what the driver returns, remembering each distinct value once."""

    def __init__(self, scale: int = SCALE, integers: bool = False) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.integers = integers or self.sqlite  # sums in whole units of 10**-scale
        self.scale = scale
        self.cache: dict = {}
        self.stored_cache: dict = {}

    def scaled(self, value) -> Decimal:
        """A sum of whole units of 10**-scale (SQLite), or an exact DECIMAL sum as a Decimal or as its text."""
        found = self.cache.get(value)
        if found is None:
            if value is None:
                found = Decimal(0)
            elif self.integers:
                found = Decimal(int(value)).scaleb(-self.scale)
            else:
                found = Decimal(value)
            self.cache[value] = found
        return found

    def stored(self, value) -> Decimal | None:
        """One stored value: SQLite hands back a binary float, which its shortest repr recovers."""
        if value is None or not self.sqlite:
            return value
        # Kept apart by type: 1 and 1.0 are equal keys but not equal Decimals.
        found = self.stored_cache.get((type(value), value))
        if found is None:
            made = Decimal(repr(value)).quantize(QUANTUM) if isinstance(value, float) else Decimal(value)
            found = self.stored_cache[type(value), value] = made
        return found


def _exact_sum(column: str, scale: int, *, mostly_null: bool = False) -> str:
    """SQL summing a DECIMAL column of ``scale`` places exactly, read back by :meth:`_Decimals.scaled`.

    SQLite: see the module's docstring; in a column ``mostly_null`` a NULL is passed over rather than multiplied
    and rounded. MariaDB: as text, because its driver makes a Decimal of every value it reads, which costs more
    than one Decimal per distinct sum made here. PostgreSQL: its exact DECIMAL sum.
    """
    vendor = connection.vendor
    if vendor == "sqlite":
        scaled = f"ROUND({column} * {10**scale})"
        return f"SUM(CASE WHEN {column} IS NOT NULL THEN {scaled} END)" if mostly_null else f"SUM({scaled})"
    if vendor == "mysql":
        return f"CAST(SUM({column}) AS CHAR)"
    return f"SUM({column})"


def _unit_filter(only: list[int] | None) -> tuple[str, list[int]]:
    if only is None:
        return "", []
    if not only:
        return " AND 1 = 0", []
    return f" AND unit_id IN ({', '.join(['%s'] * len(only))})", list(only)


def _until(cutoff: date, year: int) -> tuple[str, list]:
    """The date test of an aggregate over a scheme's rows up to ``cutoff``, and its parameter.

    Every ledger row, rating and survey score is dated within the scheme's year (the write layer refuses any
    other date), so at the year's end the test would keep every row: there is none then.
    """
    if cutoff >= date(year, 12, 31):
        return "", []
    return " AND date <= %s", [connection.ops.adapt_datefield_value(cutoff)]


def _tallies(scheme_id: int, until: tuple[str, list], names: dict, rules: dict, rows: dict,
             only: list[int] | None = None) -> TalliesByUnit:
    """Counts and sums per (unit, rule) of the rows passing the date test ``until`` (see :func:`_until`)."""
    table = LedgerEntry._meta.db_table
    q_sum, p_sum = _exact_sum("quantity", SCALE), _exact_sum("points", SCALE, mostly_null=True)  # points: discretionary
    where, extra = _unit_filter(only)
    dated, cut = until
    sql = (
        f"SELECT unit_id, rule_id, COUNT(*), {q_sum}, {p_sum} FROM {table} "
        f"WHERE scheme_id = %s{dated}{where} GROUP BY unit_id, rule_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scheme_id, *cut, *extra])
        fetched = cursor.fetchall()
    return _tally_list(fetched, names, rules, rows, _Decimals())


def _tally_list(fetched: list[tuple], names: dict, rules: dict, rows: dict, decimals: _Decimals) -> TalliesByUnit:
    """(unit_id, rule_id, count, quantity, points) rows → tallies by unit, each distinct sum made a Decimal once.

    The rows usually come sorted by unit (a GROUP BY's order), so a unit's list is looked up only when the unit
    changes; rows in any other order are grouped all the same.
    """
    scaled, cache = decimals.scaled, decimals.cache
    row_rules = {r for _u, r in rows}
    no_rows = ()
    by_unit: dict[str, list[tuple]] = {}
    last = append = None
    for u, r, n, q, p in fetched:
        if u != last:
            name = names.get(u)
            if name is None:
                continue  # a unit not scored; last stays what it was
            append, last = by_unit.setdefault(name, []).append, u
        append((rules[r], n, cache[q] if q in cache else scaled(q), cache[p] if p in cache else scaled(p),
                tuple(rows.get((u, r), no_rows)) if r in row_rules else no_rows))
    return TalliesByUnit(by_unit)


def _figures(scheme_id: int, names: dict, as_of: AsOf, only: list[int] | None = None) -> list[Figure]:
    figure = EconomicFigure._meta.db_table
    indicator = EconomicFigure._meta.get_field("indicator").related_model._meta.db_table
    sql = (f"SELECT f.unit_id, i.code, f.year, f.month, f.target, f.actual FROM {figure} f "
           f"JOIN {indicator} i ON i.id = f.indicator_id WHERE f.scheme_id = %s AND (f.year * 100 + f.month) <= %s")
    where, extra = _unit_filter(only)
    with connection.cursor() as cursor:
        cursor.execute(sql + where.replace("unit_id", "f.unit_id"), [scheme_id, as_of.year * 100 + as_of.month, *extra])
        fetched = cursor.fetchall()
    stored = _Decimals().stored
    months: dict[tuple[int, int], AsOf] = {}
    make = tuple.__new__  # Figure's generated __new__ costs a Python call per figure; this does not
    figures = []
    for u, code, y, m, target, actual in fetched:
        name = names.get(u)
        if name is None:
            continue
        month = months.get((y, m))
        if month is None:  # a dozen months at most: each AsOf made (and checked) once
            month = months[y, m] = AsOf(y, m)
        figures.append(make(Figure, (name, code, month, stored(target), stored(actual))))
    return figures


def _rows(
    scheme_id: int, cutoff: date, rule_ids: set[int] | None, row_kind_rules: set[int],
    only: list[int] | None = None,
) -> dict[tuple[int, int], list[Row]]:
    if rule_ids is not None and not rule_ids:
        return {}
    table = LedgerEntry._meta.db_table
    sql = (f"SELECT id, unit_id, rule_id, date, quantity, points, note, reverses_id FROM {table} "
           "WHERE scheme_id = %s AND date <= %s")
    params: list = [scheme_id, connection.ops.adapt_datefield_value(cutoff)]
    if rule_ids is not None:
        sql += f" AND rule_id IN ({', '.join(['%s'] * len(rule_ids))})"
        params += sorted(rule_ids)
    where, extra = _unit_filter(only)
    with connection.cursor() as cursor:
        cursor.execute(sql + where + " ORDER BY unit_id, rule_id, date, id", params + extra)
        fetched = cursor.fetchall()
    dec = _Decimals()
    # A reversed row and its reversal cancel; rules that read single rows must not see either.
    cancelled = {rev for *_rest, rev in fetched if rev is not None}
    grouped: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for pk, unit_id, rule_id, day, quantity, points, note, reverses in fetched:
        if rule_id in row_kind_rules and (pk in cancelled or reverses is not None):
            continue
        grouped[(unit_id, rule_id)].append(Row(pk, str(day), dec.stored(quantity), dec.stored(points), note))
    return grouped


def _latest_rows(scheme_id: int, cutoff: date, rule_ids: set[int],
                 only: list[int] | None = None) -> dict[tuple[int, int], list[Row]]:
    """Only the latest live row per (unit, rule): all a completion-ratio rule reads.

    The latest is the live row of highest id on the latest date with a live row: both found on the
    ``ledger_rule_latest`` index alone (a grouped maximum, then a look-up of that date), and only the winners
    are then read.
    """
    if not rule_ids:
        return {}
    table = LedgerEntry._meta.db_table
    marks = ", ".join(["%s"] * len(rule_ids))
    where, extra = _unit_filter(only)
    live = f"e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.reverses_id = e.id)"
    # The highest id is asked for each latest date found (a subquery per group, not a join, which a planner may
    # drive from the ledger's side and so read every row of the scheme).
    sql = (
        f"SELECT (SELECT MAX(e.id) FROM {table} e WHERE e.scheme_id = %s AND e.rule_id = latest.rule_id "
        f"AND e.unit_id = latest.unit_id AND e.date = latest.day AND {live}) FROM ("
        f"  SELECT e.unit_id, e.rule_id, MAX(e.date) AS day FROM {table} e"
        f"  WHERE e.scheme_id = %s AND e.rule_id IN ({marks}) AND e.date <= %s AND {live}"
        f"{where.replace('unit_id', 'e.unit_id')} GROUP BY e.unit_id, e.rule_id"
        ") latest"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scheme_id, scheme_id, *sorted(rule_ids), connection.ops.adapt_datefield_value(cutoff),
                             *extra])
        ids = [pk for (pk,) in cursor.fetchall()]
        fetched = []
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            cursor.execute(f"SELECT id, unit_id, rule_id, date, quantity, points, note FROM {table} "
                           f"WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            fetched.extend(cursor.fetchall())
    dec = _Decimals()
    return {(u, r): [Row(pk, str(day), dec.stored(q), dec.stored(p), note)]
            for pk, u, r, day, q, p, note in fetched}


RATING_SCALE = 2  # a rating's decimal places


def _ratings(scheme: Scheme, cutoff: date, names: dict, rules: dict, only: list[int] | None) -> RatingsByUnit:
    """Ratings summed per (subject, criterion, source, rater group): counts and sums, never raters.

    A survey's responses are one more kind of rating: each response's value on a criterion, summed per
    (unit, criterion, survey source, invitation group), so the engine needs nothing of its own for them.
    """
    total = _exact_sum("value", RATING_SCALE)
    where, extra = _unit_filter(only)
    dated, cut = _until(cutoff, scheme.year)
    fetched = []
    for table, group in ((Rating._meta.db_table, "rater_group"), (SurveyScore._meta.db_table, "group")):
        column = connection.ops.quote_name(group)
        sql = (f"SELECT unit_id, rule_id, source_id, {column}, COUNT(*), {total} FROM {table} "
               f"WHERE scheme_id = %s{dated}{where} GROUP BY unit_id, rule_id, source_id, {column}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [scheme.pk, *cut, *extra])
            fetched += cursor.fetchall()
    sources = dict(scheme.sources.values_list("id", "code"))
    decimals = _Decimals(RATING_SCALE)
    # The few distinct sums, converted once each (a zero sum, falsy, merely takes the slower way to its Decimal).
    scaled, cache = decimals.scaled, decimals.cache
    # Grouped by unit and criterion on the way, for the engine: the rows usually come sorted by both, so a group
    # is looked up only when the (unit, criterion) changes; rows in any other order are grouped all the same.
    by_unit: dict[str, dict[str, list[tuple]]] = {}
    last_unit = last_rule = name = code = given = None
    for u, r, s, g, n, t in fetched:
        if u != last_unit:
            name = names.get(u)
            if name is None:
                continue  # a unit not scored; last_unit stays what it was
            by_rule, last_unit, last_rule = by_unit.setdefault(name, {}), u, None
        if r != last_rule:
            code = rules[r]
            given, last_rule = by_rule.setdefault(code, []), r
        given.append((sources[s], g, n, cache.get(t) or scaled(t)))
    return RatingsByUnit({name: {code: tuple(given) for code, given in by_rule.items()}
                          for name, by_rule in by_unit.items()})


def _measures(scheme: Scheme, cutoff: date, names: dict, rules: dict, *, objectives: bool) -> list[Measure]:
    """The latest value per (subject, indicator) as of ``cutoff``, with the latest target given.

    Read through the ORM, which already hands back exact Decimals on every database.
    """
    fetched = (Measurement.objects.filter(scheme=scheme, date__lte=cutoff).order_by("date", "id")
               .values_list("unit_id", "rule_id", "actual", "target"))
    latest: dict[tuple, list] = {}
    for unit_id, rule_id, actual, target in fetched:
        if objectives:
            unit = ""
        elif unit_id in names:
            unit = names[unit_id]
        else:
            continue
        entry = latest.setdefault((unit, rule_id), [None, None])
        entry[0] = actual
        entry[1] = target if target is not None else entry[1]
    return [Measure(unit, rules[rule_id], actual, target) for (unit, rule_id), (actual, target) in latest.items()]
