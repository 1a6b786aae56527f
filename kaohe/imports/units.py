"""Units: ``name,group`` (group ``town``, ``entity`` or ``direct``). Known names are updated in place."""

from __future__ import annotations

from django.db import transaction

from kaohe.models import ImportBatch, Unit, UnitGroup

from .errors import ImportRejected, RowError
from .fields import fingerprint
from .outcome import ImportOutcome
from .reader import read_table

NAME_MAX = Unit._meta.get_field("name").max_length


def validate_units(data: bytes, filename: str) -> list[tuple[str, UnitGroup]]:
    table = read_table(data, filename, ["name", "group"])
    groups = {g.code: g for g in UnitGroup.objects.all()}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = []
    for line, cells in table.rows:
        name, group_code = cells["name"], cells["group"]
        bad = len(errors)
        if not name:
            errors.append(RowError(line, "name", name, "required", "a name is required"))
        elif len(name) > NAME_MAX:
            errors.append(RowError(line, "name", name, "too_long", f"longer than {NAME_MAX} characters"))
        elif name in seen:
            errors.append(RowError(line, "name", name, "duplicate_row", f"this unit is already on line {seen[name]}"))
        if group_code not in groups:
            errors.append(RowError(line, "group", group_code, "unknown_group",
                                   f"unknown group; expected one of {', '.join(sorted(groups))}"))
        if len(errors) == bad:
            seen[name] = line
            rows.append((name, groups[group_code]))
    if errors:
        raise ImportRejected(errors)
    return rows


@transaction.atomic
def import_units(data: bytes, filename: str, *, acting_user=None) -> ImportOutcome:
    rows = validate_units(data, filename)
    existing = {u.name: u for u in Unit.objects.filter(name__in=[n for n, _g in rows])}
    created = updated = 0
    for name, group in rows:
        unit = existing.get(name)
        if unit is None:
            Unit.objects.create(name=name, group=group)
            created += 1
        elif unit.group_id != group.pk or not unit.active:
            unit.group, unit.active = group, True
            unit.save()
            updated += 1
    batch = ImportBatch.objects.create(
        kind="units", fingerprint=fingerprint("units", "", [(n, g.code) for n, g in rows]), filename=filename,
        row_count=len(rows), created_by=acting_user,
    )
    return ImportOutcome("units", len(rows), batch.pk, created, updated, len(rows) - created - updated)
