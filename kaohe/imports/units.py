"""Units and people: ``name,group`` and optionally ``user`` (a login name: that login then sees this
unit's or person's own result). Known names are updated in place."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kaohe.models import Unit, UnitGroup

from .errors import ImportRejected, RowError
from .fields import name_key, normalise_name
from .reader import read_table

UNIT_COLUMNS = (["name", "group"], ["user"])  # required, optional
GROUP_COLUMNS = (["code", "name"], [])
NAME_MAX = Unit._meta.get_field("name").max_length


def validate_units(data: bytes, filename: str) -> list[tuple[str, UnitGroup, str]]:
    """Names are normalised (NFKC, no zero-width characters, no surrounding space). Names that differ only by
    case, width or invisible characters are one name: twice in the file is a duplicate row, and one that
    matches a stored unit's name is that unit, under its stored name."""
    table = read_table(data, filename, *UNIT_COLUMNS)
    groups = {g.code: g for g in UnitGroup.objects.all()}
    exact = set(Unit.objects.values_list("name", flat=True))
    stored = {name_key(n): n for n in sorted(exact)}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = []
    for line, cells in table.rows:
        typed, group_code = cells["name"], cells["group"]
        name, key = normalise_name(typed), name_key(typed)
        bad = len(errors)
        if not name:
            errors.append(RowError(line, "name", typed, "required", _("a name is required")))
        elif len(name) > NAME_MAX:
            errors.append(RowError(line, "name", typed, "too_long", _("longer than %(limit)s characters")
                                   % {"limit": NAME_MAX}))
        elif key in seen:
            errors.append(RowError(line, "name", typed, "duplicate_row", _(
                "this unit is already on line %(line)s (names that differ only by case, full-width letters or "
                "invisible characters are the same name)") % {"line": seen[key]}))
        if name not in exact:
            name = stored.get(key, name)  # 城关镇\u200b, ＡＢＣ or abc is the stored 城关镇 or ABC
        if group_code not in groups:
            errors.append(RowError(line, "group", group_code, "unknown_group",
                                   _("unknown group; expected one of %(expected)s") % {
                                           "expected": ", ".join(sorted(groups))}))
        login = cells.get("user", "")
        if login and (len(login) > 150 or not login.replace("_", "").replace(".", "").replace("-", "").isalnum()):
            errors.append(RowError(line, "user", login, "bad_login",
                                   _("a login name is letters, digits, '.', '-' or '_', at most 150")))
        if len(errors) == bad:
            seen[key] = line
            rows.append((name, groups[group_code], login))
    if errors:
        raise ImportRejected(errors)
    return rows


def validate_groups(data: bytes, filename: str) -> list[tuple[str, str]]:
    table = read_table(data, filename, *GROUP_COLUMNS)
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = []
    for line, cells in table.rows:
        code, name = cells["code"], cells["name"]
        if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
            errors.append(RowError(line, "code", code, "bad_code", _("a code is ASCII letters, digits, '-' or '_'")))
        elif code in seen:
            errors.append(RowError(line, "code", code, "duplicate_row",
                _("this code is already on line %(line)s") % {"line": seen[code]}))
        elif not name:
            errors.append(RowError(line, "name", name, "required", _("a name is required")))
        else:
            seen[code] = line
            rows.append((code, name))
    if errors:
        raise ImportRejected(errors)
    return rows
