"""Units and people: ``name,group`` and optionally ``user`` (a login name: that login then sees this
unit's or person's own result). Known names are updated in place."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from kaohe.models import ImportBatch, Membership, Role, Unit, UnitGroup

from .errors import ImportRejected, RowError
from .fields import fingerprint
from .outcome import ImportOutcome
from .reader import read_table

NAME_MAX = Unit._meta.get_field("name").max_length


def validate_units(data: bytes, filename: str) -> list[tuple[str, UnitGroup, str]]:
    table = read_table(data, filename, ["name", "group"], ["user"])
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
        login = cells.get("user", "")
        if login and (len(login) > 150 or not login.replace("_", "").replace(".", "").replace("-", "").isalnum()):
            errors.append(RowError(line, "user", login, "bad_login",
                                   "a login name is letters, digits, '.', '-' or '_', at most 150"))
        if len(errors) == bad:
            seen[name] = line
            rows.append((name, groups[group_code], login))
    if errors:
        raise ImportRejected(errors)
    return rows


@transaction.atomic
def import_units(data: bytes, filename: str, *, acting_user=None) -> ImportOutcome:
    rows = validate_units(data, filename)
    existing = {u.name: u for u in Unit.objects.filter(name__in=[n for n, _g, _u in rows])}
    created = updated = 0
    for name, group, login in rows:
        unit = existing.get(name)
        if unit is None:
            unit = Unit.objects.create(name=name, group=group)
            created += 1
        elif unit.group_id != group.pk or not unit.active:
            unit.group, unit.active = group, True
            unit.save()
            updated += 1
        if login:
            _link_login(unit, login)
    batch = ImportBatch.objects.create(
        kind="units", fingerprint=fingerprint("units", "", [(n, g.code, u) for n, g, u in rows]), filename=filename,
        row_count=len(rows), created_by=acting_user,
    )
    return ImportOutcome("units", len(rows), batch.pk, created, updated, len(rows) - created - updated)


def _link_login(unit: Unit, login: str) -> None:
    """The login sees this unit's own result; a new login has no password until an administrator sets one."""
    user, made = get_user_model().objects.get_or_create(username=login)
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.UNIT, unit=unit)


def validate_groups(data: bytes, filename: str) -> list[tuple[str, str]]:
    table = read_table(data, filename, ["code", "name"])
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = []
    for line, cells in table.rows:
        code, name = cells["code"], cells["name"]
        if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
            errors.append(RowError(line, "code", code, "bad_code", "a code is ASCII letters, digits, '-' or '_'"))
        elif code in seen:
            errors.append(RowError(line, "code", code, "duplicate_row", f"this code is already on line {seen[code]}"))
        elif not name:
            errors.append(RowError(line, "name", name, "required", "a name is required"))
        else:
            seen[code] = line
            rows.append((code, name))
    if errors:
        raise ImportRejected(errors)
    return rows


@transaction.atomic
def import_groups(data: bytes, filename: str, *, acting_user=None) -> ImportOutcome:
    """Org units (departments, groups of towns): ``code,name``."""
    rows = validate_groups(data, filename)
    created = updated = 0
    for code, name in rows:
        group, made = UnitGroup.objects.get_or_create(code=code, defaults={"name": name})
        if made:
            created += 1
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])
            updated += 1
    batch = ImportBatch.objects.create(kind="groups", fingerprint=fingerprint("groups", "", rows), filename=filename,
                                       row_count=len(rows), created_by=acting_user)
    return ImportOutcome("groups", len(rows), batch.pk, created, updated, len(rows) - created - updated)
