"""Economic figures: ``unit,indicator,target,actual`` for one month (``as_of``).

``target`` is the annual target, ``actual`` the cumulative actual at the end of that month.
A figure already stored for the same unit, indicator and month is replaced, with its history kept,
so importing the same file twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from kaohe.models import EconomicFigure, ImportBatch, Scheme, Unit
from kaohe.scoring import AsOf

from .errors import ImportRejected, RowError
from .fields import CellError, fingerprint, fold, parse_decimal
from .outcome import ImportOutcome
from .reader import read_table
from .saving import save_with_history


def validate_economy(data: bytes, filename: str, scheme: Scheme, as_of: AsOf) -> list[tuple]:
    table = read_table(data, filename, ["unit", "indicator", "target", "actual"])
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
            fail("unit", "unknown_unit" if cells["unit"] else "required", "no such unit")
        cells["indicator"] = fold(cells["indicator"])
        if cells["indicator"] not in indicators:
            fail("indicator", "unknown_indicator",
                 f"not an indicator of {scheme.code}; expected one of {', '.join(indicators)}")
        values = {}
        for column in ("target", "actual"):
            if not cells[column]:
                fail(column, "required", "a number is required")
                continue
            try:
                values[column] = parse_decimal(cells[column])
            except CellError as exc:
                fail(column, exc.code, str(exc))
        if values.get("target", Decimal(0)) < 0:
            fail("target", "negative", "a target cannot be negative")
        key = (cells["unit"], cells["indicator"])
        if key in seen:
            fail("indicator", "duplicate_row", f"this unit and indicator are already on line {seen[key]}")
        if len(errors) == bad:
            seen[key] = line
            rows.append((units[key[0]], indicators[key[1]], values["target"], values["actual"], key))
    if errors:
        raise ImportRejected(errors)
    return rows


@transaction.atomic
def import_economy(data: bytes, filename: str, scheme: Scheme, as_of: AsOf, *, acting_user=None) -> ImportOutcome:
    if as_of.year != scheme.year:
        raise ImportRejected([RowError(0, "as_of", str(as_of), "as_of_outside_year",
                                       f"the month must be in the scheme's year {scheme.year}")])
    rows = validate_economy(data, filename, scheme, as_of)
    batch = ImportBatch.objects.create(
        kind="economy", scheme=scheme, filename=filename, row_count=len(rows), created_by=acting_user,
        fingerprint=fingerprint("economy", f"{scheme.code}@{as_of}", [(*r[4], r[2], r[3]) for r in rows]),
    )
    existing = {
        (f.unit_id, f.indicator_id): f
        for f in EconomicFigure.objects.filter(scheme=scheme, year=as_of.year, month=as_of.month)
    }
    new, changed = [], []
    for unit_id, indicator_id, target, actual, _key in rows:
        figure = existing.get((unit_id, indicator_id))
        if figure is None:
            new.append(EconomicFigure(scheme=scheme, unit_id=unit_id, indicator_id=indicator_id, year=as_of.year,
                                      month=as_of.month, target=target, actual=actual, batch=batch))
        elif figure.target != target or figure.actual != actual:
            figure.target, figure.actual, figure.batch = target, actual, batch
            changed.append(figure)
    save_with_history(EconomicFigure, new, changed, ["target", "actual", "batch"], acting_user)
    return ImportOutcome("economy", len(rows), batch.pk, len(new), len(changed), len(rows) - len(new) - len(changed))
