"""Grades by score band (优秀/良好/合格/不合格), then quotas per group applied by rank.

A quota of 20 % in a group of n admits at most ⌊0.2 n⌋ to that grade, in rank order. When a tie
straddles the limit, admitting the whole tie would break the quota and admitting part of it would
be arbitrary, so the whole tie moves down one grade; the report names who and why. A subject moved
down is then subject to the next grade's quota in turn.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_FLOOR, Decimal
from itertools import groupby

from .result import UnitResult, with_changes
from .spec import GradeSpec, SchemeSpec


def band_grade(grades: tuple[GradeSpec, ...], score: Decimal) -> int | None:
    """The index of the highest grade ``score`` reaches (grades are listed highest first)."""
    for index, grade in enumerate(grades):
        if score >= grade.min_score:
            return index
    return None


def quota_limit(quota: Decimal, members: int) -> int:
    return int((quota * members).to_integral_value(rounding=ROUND_FLOOR))


def grade_units(scheme: SchemeSpec, units: list[UnitResult]) -> tuple[list[UnitResult], list[dict]]:
    grades = scheme.grades
    if not grades:
        return units, []
    by_group: dict[str, list[UnitResult]] = defaultdict(list)
    for unit in units:
        if not unit.vetoed and not unit.unscored:
            by_group[unit.group].append(unit)
    chosen: dict[str, int | None] = {}
    moved: dict[str, list[dict]] = defaultdict(list)
    report = []
    for group, members in by_group.items():
        for unit in members:
            chosen[unit.unit] = band_grade(grades, unit.total)
        ordered = sorted(members, key=lambda u: (u.rank is None, u.rank or 0, u.unit))
        for index, grade in enumerate(grades):
            if grade.quota is None:
                continue
            limit = quota_limit(grade.quota, len(members))
            candidates = [u for u in ordered if chosen[u.unit] == index]
            admitted, demoted, tied = [], [], []
            for _total, tie in groupby(candidates, key=lambda u: u.total):
                tie = list(tie)
                if not demoted and len(admitted) + len(tie) <= limit:
                    admitted.extend(tie)
                    continue
                if not demoted and len(admitted) < limit:
                    tied = [u.unit for u in tie]  # the tie that straddles the limit
                demoted.extend(tie)
            lower = index + 1 if index + 1 < len(grades) else None
            for unit in demoted:
                chosen[unit.unit] = lower
                moved[unit.unit].append({"grade": grade.code, "to": grades[lower].code if lower is not None else None,
                                         "reason": "tie at the quota" if unit.unit in tied else "quota"})
            report.append({
                "group": group, "grade": grade.code, "quota": grade.quota, "members": len(members), "limit": limit,
                "admitted": [u.unit for u in admitted], "demoted": [u.unit for u in demoted], "tie_at_limit": tied,
            })
    graded = []
    for unit in units:
        index = chosen.get(unit.unit)
        notes = unit.notes + tuple({"demoted": m} for m in moved.get(unit.unit, ()))
        graded.append(with_changes(unit, grade=grades[index].code if index is not None else None, notes=notes))
    return graded, report
