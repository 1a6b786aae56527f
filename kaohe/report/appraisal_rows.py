"""The three parts of ``appraisal_grades``, each a list of plain rows over one set of columns.

* grades: per department and grade, how many subjects hold it against the grade's quota;
* rater groups: per department and rater group, the mean of its ratings against the department's mean;
* outliers: a rating more than ``OUTLIER_POINTS`` from the median of the ratings given to the same subject on
  the same criterion by the same source for the same period, where there are at least ``MIN_RATINGS`` of them.
  The median of all of them (the outlier's own included) is the reference: one stray rater cannot move it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.models import Grade, RaterGroup, Rating
from kaohe.scoring.grading import quota_limit
from kaohe.services.scoring import month_end

OUTLIER_POINTS = Decimal(15)
MIN_RATINGS = 3
HUNDRED = Decimal(100)
PARTS = {"grades": gettext_lazy("grades"), "raters": gettext_lazy("rater group"),
         "outliers": gettext_lazy("outlier")}


def _row(part: str, **fields) -> dict:
    row = dict.fromkeys(("department", "grade", "subject", "criterion", "rater_group", "rater", "count",
                         "members", "limit", "value", "reference", "gap", "detail"))
    row.update(part=str(PARTS[part]), part_code=part, **fields)
    return row


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade_rows(round_, result, departments: dict[str, str], only: str | None) -> list[dict]:
    """Each department's graded subjects (not vetoed, not unscored) per grade, the grade's quota as a share and
    as a head count (⌊quota × members⌋), and who the quota moved down."""
    places = round_.scheme.decimal_places
    graded: dict[str, list] = defaultdict(list)
    for unit in result.units:
        if not unit.vetoed and not unit.unscored and only in (None, unit.group):
            graded[unit.group].append(unit)
    grades = list(Grade.objects.filter(scheme=round_.scheme).order_by("-min_score"))
    rows = []
    for group in sorted(graded, key=lambda code: list(departments).index(code) if code in departments else 99):
        members = graded[group]
        for grade in grades:
            holders = [u for u in members if u.grade == grade.code]
            moved = sorted(u.unit for u in members
                           if any(n.get("demoted", {}).get("grade") == grade.code for n in u.notes))
            quota = grade.quota * HUNDRED if grade.quota is not None else None
            share = _round(HUNDRED * len(holders) / len(members), places)
            rows.append(_row(
                "grades", department=departments.get(group, group), department_code=group, grade=grade.code,
                count=len(holders), members=len(members),
                limit=quota_limit(grade.quota, len(members)) if grade.quota is not None else None,
                value=share, reference=_round(quota, places) if quota is not None else None,
                gap=_round(share - quota, places) if quota is not None else None,
                detail=(_("moved down by the quota: %(names)s") % {"names": "、".join(moved)}) if moved else "",
            ))
    return rows


def ratings_of(round_, names: list[str] | None, only: str | None):
    found = Rating.objects.filter(scheme=round_.scheme, date__lte=month_end(round_.as_of))
    if names is not None:
        found = found.filter(unit__name__in=names)
    if only is not None:
        found = found.filter(unit__group__code=only)
    return found.values_list("unit__name", "unit__group__code", "rule__code", "rule__name", "source__code",
                             "source__name", "rater_group", "rater", "period", "value")


def group_names(scheme) -> dict[tuple[str, str], str]:
    """(source, rater group) → "source · group"; a source without groups rates as "all"."""
    named = {(source, code): f"{source_name} · {name}" for source, source_name, code, name in
             RaterGroup.objects.filter(source__scheme=scheme)
             .values_list("source__code", "source__name", "code", "name")}
    named.update({(code, "all"): name for code, name in scheme.sources.values_list("code", "name")})
    return named


def rater_rows(round_, ratings, departments: dict[str, str]) -> list[dict]:
    """Per department and rater group: how many ratings, their mean, and its distance from the department's."""
    places = round_.scheme.decimal_places
    names = group_names(round_.scheme)
    sums: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    overall: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for _u, group, _r, _rn, source, _sn, rater_group, _rater, _p, value in ratings:
        for bucket in (sums[(group, source, rater_group)], overall[group]):
            bucket[0] += 1
            bucket[1] += value
    rows = []
    for (group, source, rater_group), (count, total) in sorted(sums.items()):
        mean = _round(total / count, places)
        reference = _round(overall[group][1] / overall[group][0], places)
        rows.append(_row("raters", department=departments.get(group, group), department_code=group,
                         rater_group=names.get((source, rater_group), f"{source} · {rater_group}"), count=count,
                         value=mean, reference=reference, gap=mean - reference))
    return rows


def outlier_rows(round_, ratings, departments: dict[str, str], show_raters: bool) -> list[dict]:
    names = group_names(round_.scheme)
    sets: dict[tuple, list] = defaultdict(list)
    for unit, group, rule, rule_name, source, _sn, rater_group, rater, period, value in ratings:
        sets[(group, unit, rule, rule_name, source, period)].append((rater_group, rater, value))
    rows = []
    for (group, unit, rule, rule_name, source, period), given in sorted(sets.items()):
        if len(given) < MIN_RATINGS:
            continue
        middle = median(value for _g, _r, value in given)
        for rater_group, rater, value in sorted(given, key=lambda g: (g[2], g[1])):
            if abs(value - middle) <= OUTLIER_POINTS:
                continue
            rows.append(_row(
                "outliers", department=departments.get(group, group), department_code=group, subject=unit,
                criterion=f"{rule} {rule_name}", rater_group=names.get((source, rater_group), rater_group),
                rater=rater if show_raters else _("anonymous"), count=len(given), value=value,
                reference=middle, gap=value - middle, detail=_("period %(period)s") % {"period": period},
            ))
    return rows
