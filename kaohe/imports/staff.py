"""Who works at which service centre: ``centre,person`` — each person a subject of the employee appraisal.

Each centre must be assessed under the centre scheme and each person appraised under the employee scheme;
a person works at one centre only. Every bad row is named before anything is read from the appraisal.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kaohe.models import Scheme, Unit

from .errors import ImportRejected, RowError
from .reader import read_table


def _units_of(scheme: Scheme) -> dict[str, int]:
    return dict(Unit.objects.filter(group_id__in=scheme.groups.values_list("group_id", flat=True))
                .values_list("name", "id"))


def validate_staff(data: bytes, filename: str, scheme: Scheme, employee_scheme: Scheme) -> list[tuple[int, str, str]]:
    """The rows as (line, centre, person)."""
    table = read_table(data, filename, ["centre", "person"], [])
    centres, people = _units_of(scheme), _units_of(employee_scheme)
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = []
    for line, cells in table.rows:
        bad = len(errors)
        centre, person = cells["centre"], cells["person"]
        if centre not in centres:
            errors.append(RowError(line, "centre", centre, "unknown_unit" if centre else "required",
                                   _("not a unit assessed under %(scheme)s") % {"scheme": scheme.code}))
        if person not in people:
            errors.append(RowError(line, "person", person, "unknown_person" if person else "required",
                                   _("not a person appraised under %(scheme)s") % {"scheme": employee_scheme.code}))
        elif person in seen:
            errors.append(RowError(line, "person", person, "duplicate_row",
                                   _("this person is already on line %(line)s") % {"line": seen[person]}))
        if len(errors) == bad:
            seen[person] = line
            rows.append((line, centre, person))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "", "", "no_rows", _("the file has a header but no rows"))])
    return rows
