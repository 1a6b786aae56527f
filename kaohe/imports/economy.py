"""Economic figures: ``unit,indicator,target,actual`` for one month (``as_of``).

``target`` is the annual target, ``actual`` the cumulative actual at the end of that month.
A figure already stored for the same unit, indicator and month is replaced, with its history kept,
so importing the same file twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kaohe.models import EconomicFigure, Scheme, Unit
from kaohe.scoring import AsOf

from .errors import ImportRejected, RowError
from .fields import CellError, column_limits, fold, parse_decimal
from .reader import read_table

COLUMNS = (["unit", "indicator", "target", "actual"], [])  # required, optional


def validate_economy(data: bytes, filename: str, scheme: Scheme, as_of: AsOf) -> list[tuple]:
    table = read_table(data, filename, *COLUMNS)
    units = dict(Unit.objects.values_list("name", "id"))
    indicators = dict(scheme.economic_indicators.values_list("code", "id"))
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for line, cells in table.rows:
        bad = len(errors)

        def fail(column: str, code: str, message: str, cells=cells, line=line) -> None:
            errors.append(RowError(line, column, cells[column], code, message))

        if cells["unit"] not in units:
            fail("unit", "unknown_unit" if cells["unit"] else "required", _("no such unit"))
        cells["indicator"] = fold(cells["indicator"])
        if cells["indicator"] not in indicators:
            fail("indicator", "unknown_indicator",
                 _("not an indicator of %(scheme)s; expected one of %(expected)s") % {
                     "scheme": scheme.code, "expected": ", ".join(indicators)})
        values = {}
        for column in ("target", "actual"):
            if not cells[column]:
                fail(column, "required", _("a number is required"))
                continue
            try:
                values[column] = parse_decimal(cells[column], **column_limits(EconomicFigure, column))
            except CellError as exc:
                fail(column, exc.code, str(exc))
        if values.get("target", Decimal(0)) < 0:
            fail("target", "negative", _("a target cannot be negative"))
        key = (cells["unit"], cells["indicator"])
        if key in seen:
            fail("indicator", "duplicate_row", _("this unit and indicator are already on line %(line)s") % {
                    "line": seen[key]})
        if len(errors) == bad:
            seen[key] = line
            rows.append((units[key[0]], indicators[key[1]], values["target"], values["actual"], key, line))
    if errors:
        raise ImportRejected(errors)
    return rows
