"""Who rates whom in a round: ``ratee,source,group,rater`` (rater: a login). All rows valid, or nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from kaohe.models import RaterGroup, Unit

from .errors import ImportRejected, RowError
from .fields import fold
from .reader import read_table


def validate_assignments(data: bytes, filename: str, round_) -> list[tuple]:
    """(rater group, rater user, ratee unit) per row; every bad row named by line and column."""
    table = read_table(data, filename, ["ratee", "source", "group", "rater"])
    scheme = round_.scheme
    units = {u.name: u for u in Unit.objects.filter(sheets__round=round_).distinct()}
    groups = {(g.source.code, g.code): g for g in RaterGroup.objects.filter(source__scheme=scheme)
              .select_related("source")}
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in={cells["rater"] for _line, cells in table.rows})}
    rows, errors = [], []
    for line, cells in table.rows:
        ratee, key, rater = units.get(cells["ratee"]), (fold(cells["source"]), fold(cells["group"])), \
            users.get(cells["rater"])
        if ratee is None:
            errors.append(RowError(line, "ratee", cells["ratee"], "unknown_unit", _("not a person in this round")))
        if key not in groups:
            errors.append(RowError(line, "group", "/".join(key), "unknown_group",
                                   _("expected one of %(groups)s") % {"groups": ", ".join(
                                       f"{s}/{g}" for s, g in groups)}))
        if rater is None:
            errors.append(RowError(line, "rater", cells["rater"], "unknown_user", _("no such login")))
        if ratee is not None and key in groups and rater is not None:
            rows.append((groups[key], rater, ratee))
    if errors:
        raise ImportRejected(errors)
    return rows
