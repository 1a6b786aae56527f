"""Units and people: ``name,group`` and optionally ``user`` (a login name: that login then sees this
unit's or person's own result). Known names are updated in place."""

from __future__ import annotations

from kaohe.models import Unit, UnitGroup

from .errors import ImportRejected, RowError
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
