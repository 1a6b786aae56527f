"""Ledger rows: ``unit,rule,quantity,points,date,note``, parsed and checked; ``kaohe.actions.ledger`` writes them.

All rows are valid or none is written; every problem is named by line, column, value and reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.db import connection
from django.utils.translation import gettext as _

from kaohe.models import Indicator, LedgerEntry, Rule, Scheme, SchemeGroup, Unit
from kaohe.scoring.spec import COUNT_KINDS, ENTERED_KINDS, Kind

from .errors import ImportRejected, RowError
from .fields import CellError, column_limits, fold, parse_date, parse_decimal
from .reader import read_table

ENTRY_CELLS = ("unit", "rule", "date", "quantity", "points", "note")
REQUIRED = ["unit", "rule", "date"]
OPTIONAL = ["quantity", "points", "note"]
QUANTITY_REQUIRED = {Kind.TIERED, Kind.PROPORTIONAL, Kind.COUNT_THRESHOLD}
LIMITS = {column: column_limits(LedgerEntry, column) for column in ("quantity", "points")}  # DECIMAL(14,4)


class LedgerRow(NamedTuple):
    """One checked row; a named tuple, as a file makes a hundred thousand of them."""

    unit_id: int
    rule_id: int
    quantity: Decimal
    points: Decimal | None
    date: date
    note: str
    key: tuple  # the row as text, for the fingerprint
    line: int = 0


@dataclass(frozen=True)
class _RuleInfo:
    code: str
    id: int
    kind: Kind
    min_points: Decimal | None
    max_points: Decimal | None
    section: int | None = None


def _one_unit(scheme_id: int, name: str) -> dict[str, tuple[int, bool, bool]]:
    """name → (id, active, whether its group is assessed by the scheme), for one unit.

    Plain SQL: a single entry is made in a few milliseconds, and building this through the ORM cost more than
    running it.
    """
    sql = (f"SELECT u.id, u.name, u.active, EXISTS(SELECT 1 FROM {SchemeGroup._meta.db_table} g "
           f"WHERE g.group_id = u.group_id AND g.scheme_id = %s) FROM {Unit._meta.db_table} u WHERE u.name = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [scheme_id, name])
        return {found: (pk, bool(active), bool(assessed)) for pk, found, active, assessed in cursor.fetchall()}


def _one_rule(scheme_id: int, code: str) -> list[tuple]:
    """(id, code, kind, min, max, section) of one rule of the scheme, in plain SQL as :func:`_one_unit`."""
    sql = (f"SELECT r.id, r.code, r.kind, r.min_points, r.max_points, i.section_id FROM {Rule._meta.db_table} r "
           f"LEFT JOIN {Indicator._meta.db_table} i ON i.id = r.indicator_id WHERE r.scheme_id = %s AND r.code = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [scheme_id, code])
        return [(pk, found, kind, _stored_decimal(lo), _stored_decimal(hi), section)
                for pk, found, kind, lo, hi, section in cursor.fetchall()]


def _stored_decimal(value) -> Decimal | None:
    """A DECIMAL column as the driver hands it back: SQLite gives a binary float, whose shortest repr is exact."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class LedgerValidator:
    """Looks units and rules up once; checks one row at a time, collecting every problem."""

    def __init__(self, scheme: Scheme, *, unit: str | None = None, rule: str | None = None) -> None:
        """``unit``/``rule``: the one row's unit name and rule code, so only those are looked up (one entry)."""
        self.scheme = scheme
        if unit is None:
            groups = set(scheme.groups.values_list("group_id", flat=True))
            self.units = {name: (pk, active, group in groups)
                          for pk, name, active, group in Unit.objects.values_list("id", "name", "active", "group_id")}
        else:  # one entry: its unit and its rule only, each one plain query (see _one_unit, _one_rule)
            self.units = _one_unit(scheme.pk, unit)
        if rule is None:
            rules = scheme.rules.order_by().values_list(
                "id", "code", "kind", "min_points", "max_points", "indicator__section_id")
        else:
            rules = _one_rule(scheme.pk, fold(rule))
        self.rules = {
            code: _RuleInfo(code, pk, Kind(kind), lo, hi, section)
            for pk, code, kind, lo, hi, section in rules
        }
        # Other schemes' codes, to tell "a rule of another scheme" from "no such rule": only when it can matter.
        self.other_codes: set[str] = set()
        if rule is None or not self.rules:
            others = Rule.objects.exclude(scheme=scheme)
            if rule is not None:
                others = others.filter(code=fold(rule))
            self.other_codes = set(others.values_list("code", flat=True))
        self.dates: dict[str, date] = {}
        self.numbers: dict[tuple[str, str], Decimal] = {}
        # The cells of rows already accepted, as typed: a file repeats a few hundred units, rules, dates and
        # amounts, so most rows are checked by looking their cells up here (see _known).
        self.known_units: dict[str, int] = {}
        self.known_rules: dict[str, _RuleInfo] = {}
        self.known_days: dict[str, tuple[date, str]] = {}
        self.known_amounts: dict[tuple[int, str, str], tuple[Decimal, Decimal | None]] = {}

    @staticmethod
    def cells_of(cells: dict[str, str]) -> tuple:
        """unit, rule, date, quantity, points, note; :meth:`expect` replaces this with a faster look-up."""
        get = cells.get
        return get("unit"), get("rule"), get("date"), get("quantity", ""), get("points", ""), get("note", "")

    def expect(self, header: list[str]) -> None:
        """Every row has the cells of ``header`` (a file's rows do): read them all in one call when each
        column is there."""
        if set(ENTRY_CELLS) <= set(header):
            self.cells_of = itemgetter(*ENTRY_CELLS)

    def sections(self) -> dict[int, int | None]:
        """rule id → the section that records it, for the rules looked up."""
        return {info.id: info.section for info in self.rules.values()}

    def row(self, line: int, cells: dict[str, str], errors: list[RowError]) -> LedgerRow | None:
        known = self._known(line, cells)
        if known is not None:
            return known
        row = self._checked(line, cells, errors)
        if row is not None:
            rule = self.rules[row.key[1]]
            self.known_units[cells["unit"]] = row.unit_id
            self.known_rules[cells["rule"]] = rule
            self.known_days[cells["date"]] = (row.date, row.key[4])
            self.known_amounts[rule.id, cells.get("quantity", ""), cells.get("points", "")] = (row.quantity,
                                                                                                row.points)
        return row

    def _known(self, line: int, cells: dict[str, str]) -> LedgerRow | None:
        """The row, when each of its cells was accepted as it stands in an earlier row; else None (check it).

        Each check of :meth:`_checked` depends on one cell alone, or on the rule and its amounts, or on the
        rule and the note: a cell accepted once is accepted again.
        """
        unit, rule, day, quantity, points, note = self.cells_of(cells)
        unit_id, rule, day = self.known_units.get(unit), self.known_rules.get(rule), self.known_days.get(day)
        if unit_id is None or rule is None or day is None:
            return None
        amounts = self.known_amounts.get((rule.id, quantity, points))
        if amounts is None or note is None or "\x00" in note or (not note and rule.kind == Kind.DISCRETIONARY):
            return None
        quantity, points = amounts
        return LedgerRow(unit_id, rule.id, quantity, points, day[0], note,
                         (unit, rule.code, quantity, points if points is not None else "", day[1], note), line)

    def _checked(self, line: int, cells: dict[str, str], errors: list[RowError]) -> LedgerRow | None:
        before = len(errors)

        def fail(column: str, code: str, message: str) -> None:
            errors.append(RowError(line, column, cells.get(column, ""), code, message))

        for column, value in cells.items():  # no database keeps a NUL byte in text (PostgreSQL refuses it)
            if "\x00" in (value or ""):
                fail(column, "nul_character", _("contains a NUL character, which is not text"))
        if len(errors) > before:
            return None
        unit = self._unit(cells["unit"], fail)
        rule = self._rule(fold(cells["rule"]), fail)
        quantity = self._quantity(cells.get("quantity", ""), rule, fail)
        points = self._points(cells.get("points", ""), rule, fail)
        note = cells.get("note", "")
        if rule and rule.kind == Kind.DISCRETIONARY and not note:
            fail("note", "missing_note", _("a discretionary amount needs a reason in the note"))
        when = self._date(cells["date"], fail)
        if len(errors) > before:
            return None
        key = (cells["unit"], rule.code, quantity, points if points is not None else "", when.isoformat(), note)
        return LedgerRow(unit, rule.id, quantity, points, when, note, key, line)

    def _date(self, text: str, fail):
        # A year of rows has at most 366 distinct dates: parse each once.
        found = self.dates.get(text)
        if found is not None:
            return found
        if not text:
            return fail("date", "required", _("a date is required"))
        try:
            when = parse_date(text)
        except CellError as exc:
            return fail("date", exc.code, str(exc))
        if when.year != self.scheme.year:
            return fail("date", "date_outside_year", _("outside the scheme's year %(year)s") % {
                    "year": self.scheme.year})
        self.dates[text] = when
        return when

    def _number(self, column: str, text: str, fail) -> Decimal | None:
        # Counts and amounts repeat a handful of values across a file: parse each once.
        value = self.numbers.get((column, text))
        if value is None:
            try:
                value = self.numbers[column, text] = parse_decimal(text, **LIMITS[column])
            except CellError as exc:
                return fail(column, exc.code, str(exc))
        return value

    def _unit(self, name: str, fail):
        if not name:
            return fail("unit", "required", _("a unit is required"))
        found = self.units.get(name)
        if found is None:
            return fail("unit", "unknown_unit", _("no such unit; import it first with import_units"))
        pk, active, assessed = found
        if not active:
            return fail("unit", "inactive_unit", _("this unit is inactive"))
        if not assessed:
            return fail("unit", "unit_not_in_scheme", _("this unit's group is not assessed by this scheme"))
        return pk

    def _rule(self, code: str, fail):
        if not code:
            return fail("rule", "required", _("a rule code is required"))
        info = self.rules.get(code)
        if info is None:
            if code in self.other_codes:
                return fail("rule", "rule_not_in_scheme", _("this rule is not part of %(scheme)s") % {
                        "scheme": self.scheme.code})
            return fail("rule", "unknown_rule", _("no rule has this code"))
        if info.kind not in ENTERED_KINDS:
            return fail("rule", "computed_rule", _("this rule is computed from the economic figures; "
                                                   "import those with import_economy"))
        return info

    def _quantity(self, text: str, rule: _RuleInfo | None, fail):
        if not text:
            if rule and rule.kind in QUANTITY_REQUIRED:
                return fail("quantity", "required", _("this rule needs a quantity"))
            return Decimal(1)
        value = self._number("quantity", text, fail)
        if value is None or rule is None:
            return value
        if rule.kind in COUNT_KINDS:
            if value < 0:
                return fail("quantity", "negative_count", _("a count cannot be negative"))
            if value != value.to_integral_value():
                return fail("quantity", "not_whole", _("a count must be a whole number"))
        if rule.kind == Kind.PROPORTIONAL and not Decimal(0) <= value <= Decimal(1):
            return fail("quantity", "ratio_out_of_range", _("a completion ratio is between 0 and 1"))
        if rule.kind in {Kind.TIERED, Kind.DISCRETIONARY} and value < 0:
            return fail("quantity", "negative", _("cannot be negative"))
        return value

    def _points(self, text: str, rule: _RuleInfo | None, fail):
        if rule is None:
            return None
        if rule.kind != Kind.DISCRETIONARY:
            if text:
                return fail("points", "points_not_allowed", _("only discretionary rules take points"))
            return None
        if not text:
            return fail("points", "missing_points", _("a discretionary rule needs the points"))
        value = self._number("points", text, fail)
        if value is None:
            return None
        if not rule.min_points <= value <= rule.max_points:
            return fail("points", "out_of_range",
                        _("outside this rule's range %(low)s … %(high)s") % {
                            "low": f"{rule.min_points.normalize():f}", "high": f"{rule.max_points.normalize():f}"})
        return value


def validate_ledger(data: bytes, filename: str, scheme: Scheme) -> list[LedgerRow]:
    table = read_table(data, filename, REQUIRED, OPTIONAL)
    validator = LedgerValidator(scheme)
    validator.expect(table.header)
    errors: list[RowError] = []
    rows = [validator.row(line, cells, errors) for line, cells in table.rows]
    if errors:
        raise ImportRejected(errors)
    return rows
