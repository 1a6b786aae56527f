"""Ratings: ``ratee,criterion,source,group,rater,rating,period`` (``group`` optional for a source without
rater groups). ``rating`` is a letter of the scheme's scale (A/B/C/D) or points from 0 to 100.

Keyed by (ratee, criterion, source, group, rater, period): importing again replaces a rating and its
history keeps the old one, so the same file twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kaohe.models import Membership, Rating, Role, Scheme, Unit
from kaohe.scoring import Kind

from .errors import ImportRejected, RowError
from .fields import CellError, column_limits, fold, parse_decimal
from .periods import parse_period
from .reader import read_table

COLUMNS = (["ratee", "criterion", "source", "rater", "rating", "period"], ["group"])  # required, optional

HUNDRED = Decimal(100)
RATER_MAX = Rating._meta.get_field("rater").max_length


def parse_rating(text: str, scale: dict[str, str]) -> tuple[Decimal, str]:
    """(points, letter): a letter of the scale, or a number from 0 to 100 with at most 2 decimals."""
    letter = fold(text).upper()
    if letter in scale:
        return Decimal(scale[letter]), letter
    try:
        value = parse_decimal(text, **column_limits(Rating, "value"))  # DECIMAL(7,2)
    except CellError as exc:
        if exc.code != "not_a_number":
            raise  # a number, but too large, too precise or with an ambiguous comma: say so
        letters = "/".join(scale) or "none"
        raise CellError("bad_rating", _("neither a letter of this scheme's scale (%(letters)s) nor a number")
                        % {"letters": letters}) from None
    if not 0 <= value <= HUNDRED:
        raise CellError("out_of_range", _("points go from 0 to 100"))
    return value, ""


class _Lookups:
    def __init__(self, scheme: Scheme) -> None:
        groups = scheme.groups.values_list("group_id", flat=True)
        self.units = dict(Unit.objects.filter(group_id__in=groups).values_list("name", "id"))
        self.rules = dict(scheme.rules.filter(kind=Kind.RATING).values_list("code", "id"))
        self.sources = {s.code: s for s in scheme.sources.prefetch_related("groups")}
        self.groups = {code: {g.code for g in s.groups.all()} for code, s in self.sources.items()}
        # a person's own login, so that rating oneself is refused outside self-assessment
        self.logins = dict(Membership.objects.filter(role=Role.UNIT, unit_id__in=self.units.values())
                           .values_list("unit_id", "user__username"))


def validate_ratings(data: bytes, filename: str, scheme: Scheme) -> list[tuple]:
    table = read_table(data, filename, *COLUMNS)
    known = _Lookups(scheme)
    scale = {k.upper(): v for k, v in scheme.rating_scale.items()}
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    rows = []
    for line, cells in table.rows:
        bad = len(errors)

        def fail(column: str, code: str, message: str, cells=cells, line=line) -> None:
            errors.append(RowError(line, column, cells.get(column, ""), code, message))

        ratee = cells["ratee"]
        if ratee not in known.units:
            fail("ratee", "unknown_unit" if ratee else "required", _("not a person assessed under %(scheme)s") % {
                    "scheme": scheme.code})
        criterion = fold(cells["criterion"])
        if criterion not in known.rules:
            fail("criterion", "unknown_criterion",
                _("expected one of %(expected)s") % {"expected": ", ".join(known.rules)})
        source = known.sources.get(fold(cells["source"]))
        group = fold(cells.get("group", "")) or "all"
        if source is None:
            fail("source", "unknown_source", _("expected one of %(expected)s") % {"expected": ", ".join(known.sources)})
        elif source.survey:
            fail("source", "survey_source", _("%(source)s is answered only through its questionnaire: import the "
                                              "returned forms to its survey") % {"source": source.code})
        else:
            if criterion in known.rules and source.criteria and criterion not in source.criteria:
                fail("criterion", "not_rated_by_source", _("%(source)s rates only %(criteria)s") % {
                    "source": source.code, "criteria": ", ".join(source.criteria)})
            allowed = known.groups[source.code]
            if (allowed and group not in allowed) or (not allowed and group != "all"):
                expected = ", ".join(sorted(allowed)) if allowed else "nothing (leave it empty)"
                fail("group", "unknown_group", _("%(source)s's rater groups are %(expected)s") % {
                    "source": source.code, "expected": expected})
        rater = cells["rater"]
        if not rater:
            fail("rater", "required", _("say who rated (a user name or a survey key)"))
        elif len(rater) > RATER_MAX:
            fail("rater", "too_long", _("longer than %(limit)s characters") % {"limit": RATER_MAX})
        elif group != "self" and ratee in known.units and rater in {ratee, known.logins.get(known.units[ratee])}:
            fail("rater", "rates_self", _("a person rates themselves only in a self-assessment group"))
        try:
            value, letter = parse_rating(cells["rating"], scale)
        except CellError as exc:
            fail("rating", exc.code, str(exc))
        period = end = None
        if source is not None:
            try:
                period, end = parse_period(cells["period"], source.calendar, scheme.year)
            except CellError as exc:
                fail("period", exc.code, str(exc))
        key = (ratee, criterion, source.code if source else "", group, rater, period)
        if len(errors) == bad and key in seen:
            fail("rater", "duplicate_row",
                _("the same rater, criterion and period are already on line %(line)s") % {"line": seen[key]})
        if len(errors) == bad:
            seen[key] = line
            rows.append((known.units[ratee], known.rules[criterion], source.pk, group, rater, period, end,
                         value, letter, key, line))
    if errors:
        raise ImportRejected(errors)
    return rows
