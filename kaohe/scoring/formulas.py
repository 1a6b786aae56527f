"""One small function per weighted kind: a leaf's measures → its score on a 0–100 scale, and detail.

``None`` as a score means "nothing to score": the parent then renormalises over what is there
(appraisals and KPIs) or counts it as zero completion (objectives), and says so either way.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .facts import Measure, RatingTally
from .spec import Kind, RaterGroupSpec, RuleSpec, SourceSpec

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ANYONE = (RaterGroupSpec("all", "", Decimal(1), 1),)

Scored = tuple[Decimal | None, dict]


def _target(measure: Measure, default: Decimal | None) -> Decimal | None:
    return measure.target if measure.target is not None else default


def ratio(rule: RuleSpec, measure: Measure, target: Decimal | None) -> Scored:
    target = _target(measure, target)
    if target is None or target <= 0:
        return None, {"actual": measure.actual, "problem": "no positive target"}
    return HUNDRED * measure.actual / target, {"actual": measure.actual, "target": target}


def _held_to_max(rule: RuleSpec, score: Decimal, detail: dict) -> Scored:
    if rule.max_points is not None and score > rule.max_points:
        return rule.max_points, {**detail, "capped_at": rule.max_points}
    return score, detail


def capped(rule: RuleSpec, measure: Measure, target: Decimal | None) -> Scored:
    score, detail = ratio(rule, measure, target)
    return (score, detail) if score is None else _held_to_max(rule, score, detail)


def lower_better(rule: RuleSpec, measure: Measure, target: Decimal | None) -> Scored:
    target = _target(measure, target)
    detail = {"actual": measure.actual, "target": target}
    if target is None or target <= 0:
        return None, {**detail, "problem": "no positive target"}
    if measure.actual <= 0:  # nothing used at all: as good as it gets, held by the cap if there is one
        best = rule.max_points if rule.max_points is not None else HUNDRED
        return best, {**detail, "capped_at": best}
    return _held_to_max(rule, HUNDRED * target / measure.actual, detail)


def banded(rule: RuleSpec, measure: Measure, target: Decimal | None) -> Scored:
    for band in sorted(rule.bands, key=lambda b: b.limit, reverse=True):
        if measure.actual >= band.limit:
            return band.points, {"actual": measure.actual, "band": band.limit}
    return ZERO, {"actual": measure.actual, "band": None}


MEASURED: dict[Kind, Callable[[RuleSpec, Measure, Decimal | None], Scored]] = {
    Kind.RATIO: ratio,
    Kind.CAPPED: capped,
    Kind.LOWER_BETTER: lower_better,
    Kind.BANDED: banded,
}


def rating(criterion: str, tallies: dict[tuple[str, str], RatingTally], sources: tuple[SourceSpec, ...]) -> Scored:
    """Weighted mean over sources of the weighted mean over rater groups of each group's mean rating.

    A group with fewer raters than its minimum is left out, and so is a source none of whose groups
    count; the weights of what is left are renormalised and the detail says what was left out.
    """
    weighted = weights = ZERO
    used, missing = [], []
    for source in sources:
        if not source.rates(criterion):
            continue
        s_weighted = s_weights = ZERO
        groups, short = [], []
        for group in source.groups or ANYONE:
            tally = tallies.get((source.code, group.code))
            count = tally.count if tally else 0
            if count < group.min_raters or count == 0:
                short.append({"group": group.code, "raters": count, "minimum": group.min_raters})
                continue
            mean = tally.total / count
            s_weighted += group.weight * mean
            s_weights += group.weight
            groups.append({"group": group.code, "raters": count, "mean": mean, "weight": group.weight})
        if not s_weights:
            missing.append({"source": source.code, "weight": source.weight, "short": short})
            continue
        source_score = s_weighted / s_weights
        weighted += source.weight * source_score
        weights += source.weight
        entry = {"source": source.code, "weight": source.weight, "score": source_score, "groups": groups}
        if short:
            entry["short"] = short
        used.append(entry)
    if not weights:
        return None, {"sources": [], "missing": missing}
    detail: dict = {"sources": used}
    if missing:
        detail["missing"] = missing
        detail["renormalised"] = True
    return weighted / weights, detail
