"""Measured values: ``indicator,actual,date`` and optionally ``unit,target,note``.

Department KPIs name the department in ``unit`` and give its ``target`` (a banded indicator needs
none). Objectives' progress leaves ``unit`` empty (the task's owner is in the scheme) and takes the
target from the task. Each row reports the cumulative actual as of its date; the latest counts.
Keyed by (unit, indicator, date): importing again replaces the value, with its history kept.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kaohe.models import Measurement, Scheme, Unit
from kaohe.scoring import Method
from kaohe.scoring.spec import TARGET_KINDS, WEIGHTED_KINDS, Kind

from .errors import ImportRejected, RowError
from .fields import CellError, column_limits, fold, parse_date, parse_decimal
from .reader import read_table

COLUMNS = (["indicator", "actual", "date"], ["unit", "target", "note"])  # required, optional


def validate_measures(data: bytes, filename: str, scheme: Scheme) -> list[tuple]:
    table = read_table(data, filename, *COLUMNS)
    objectives = scheme.method == Method.OBJECTIVES
    groups = scheme.groups.values_list("group_id", flat=True)
    units = dict(Unit.objects.filter(group_id__in=groups).values_list("name", "id"))
    measured = [k for k in WEIGHTED_KINDS if k != Kind.RATING]
    rules = {r.code: r for r in scheme.rules.filter(kind__in=measured).select_related("indicator__owner")}
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    rows = []
    for line, cells in table.rows:
        bad = len(errors)

        def fail(column: str, code: str, message: str, cells=cells, line=line) -> None:
            errors.append(RowError(line, column, cells.get(column, ""), code, message))

        code = fold(cells["indicator"])
        rule = rules.get(code)
        if rule is None:
            fail("indicator", "unknown_indicator",
                _("not a measured indicator of %(scheme)s; expected one of %(expected)s") % {
                "scheme": scheme.code, "expected": ", ".join(rules)})
        unit = cells.get("unit", "")
        if objectives:
            owner = rule.indicator.owner if rule and rule.indicator else None
            if unit and (owner is None or unit != owner.name):
                fail("unit", "not_the_owner", _("leave it empty: the task's owner is %(owner)s in the scheme") % {
                    "owner": owner.name if owner else _("not set")})
            unit = ""
        elif unit not in units:
            fail("unit", "unknown_unit" if unit else "required",
                _("not a unit assessed under %(scheme)s") % {"scheme": scheme.code})
        values = {}
        for column in ("actual", "target"):
            if cells.get(column):
                try:
                    values[column] = parse_decimal(cells[column], **column_limits(Measurement, column))
                except CellError as exc:
                    fail(column, exc.code, str(exc))
        if not cells["actual"]:
            fail("actual", "required", _("a number is required"))
        if values.get("target") is not None and values["target"] <= 0:
            fail("target", "not_positive", _("a target must be above zero"))
        if rule and not objectives and rule.kind in TARGET_KINDS and not cells.get("target"):
            fail("target", "required", _("%(kind)s compares with a target; give it") % {"kind": rule.kind})
        try:
            day = parse_date(cells["date"])
            if day.year != scheme.year:
                fail("date", "date_outside_year",
                    _("the date must be in the scheme's year %(year)s") % {"year": scheme.year})
        except CellError as exc:
            fail("date", exc.code, str(exc))
        key = (unit, code, cells["date"])
        if len(errors) == bad and key in seen:
            fail("date", "duplicate_row",
                _("this indicator and date are already on line %(line)s") % {"line": seen[key]})
        if len(errors) == bad:
            seen[key] = line
            rows.append((units.get(unit), rule.pk, day, values["actual"], values.get("target"), cells.get("note", ""),
                         (unit, code, day.isoformat()), line))
    if errors:
        raise ImportRejected(errors)
    return rows
