"""Economic figures for one month, written from an accepted import file; a figure that feeds a signed sheet
is refused until that sheet is returned."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.imports.economy import validate_economy
from kaohe.imports.errors import ImportRejected, RowError
from kaohe.imports.fields import fingerprint
from kaohe.imports.outcome import ImportOutcome
from kaohe.models import EconomicFigure, ImportBatch, Rule
from kaohe.scoring import AsOf, Kind
from kaohe.services.scoring import month_end

from .aggregates import refresh_standings
from .audit import audit
from .locks import LockBook
from .saving import save_with_history
from .units import check_may_import


@transaction.atomic
def do_import_economy(data: bytes, filename: str, scheme, as_of: AsOf, *, acting_user=None) -> ImportOutcome:
    check_may_import(acting_user)
    if as_of.year != scheme.year:
        raise ImportRejected([RowError(0, "as_of", str(as_of), "as_of_outside_year",
                                       str(_("the month must be in the scheme's year %(year)s") % {
                                           "year": scheme.year}))])
    rows = validate_economy(data, filename, scheme, as_of)
    existing = {
        (f.unit_id, f.indicator_id): f
        for f in EconomicFigure.objects.filter(scheme=scheme, year=as_of.year, month=as_of.month)
    }
    locks = LockBook(scheme)
    section = (Rule.objects.filter(scheme=scheme, kind=Kind.ECONOMIC).values_list("indicator__section_id", flat=True)
               .first())
    day = month_end(as_of)
    new, changed, problems = [], [], []
    for unit_id, indicator_id, target, actual, key, line in rows:
        figure = existing.get((unit_id, indicator_id))
        if figure is not None and figure.target == target and figure.actual == actual:
            continue
        refusal = None if locks.empty else locks.for_row(unit_id, section, day)
        if refusal is not None:
            problems.append(RowError(line, "unit", key[0], refusal.code, str(refusal)))
        elif figure is None:
            new.append(EconomicFigure(scheme=scheme, unit_id=unit_id, indicator_id=indicator_id, year=as_of.year,
                                      month=as_of.month, target=target, actual=actual))
        else:
            figure.target, figure.actual = target, actual
            changed.append(figure)
    if problems:
        raise ImportRejected(problems)
    batch = ImportBatch.objects.create(
        kind="economy", scheme=scheme, filename=filename, row_count=len(rows), created_by=acting_user,
        fingerprint=fingerprint("economy", f"{scheme.code}@{as_of}", [(*r[4], r[2], r[3]) for r in rows]),
    )
    for figure in (*new, *changed):
        figure.batch = batch
    save_with_history(EconomicFigure, new, changed, ["target", "actual", "batch"], acting_user)
    refresh_standings(scheme, as_of.month)
    audit(acting_user, "economy.import", scheme=scheme, target=batch,
          after={"file": filename, "as_of": str(as_of), "new": len(new), "changed": len(changed)})
    return ImportOutcome("economy", len(rows), batch.pk, len(new), len(changed), len(rows) - len(new) - len(changed))
