"""One returned questionnaire → its value on each criterion it answers (0–100).

A criterion's value is the weighted mean of the points of the response's scored answers tied to it, rounded
half-up to 2 places like a rating. Summed over responses per (unit, criterion, source, invitation group) these
values are ordinary rating tallies: the weighted method then treats the survey as one more source, with its
minimum number of responses per group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def criterion_values(answers: Iterable[tuple[str, Decimal, Decimal]]) -> dict[str, Decimal]:
    """``answers``: (criterion, weight, points) of one response's scored answers; unanswered ones left out."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for criterion, weight, points in answers:
        entry = sums[criterion]
        entry[0] += weight * points
        entry[1] += weight
    return {criterion: (weighted / weights).quantize(CENT, ROUND_HALF_UP)
            for criterion, (weighted, weights) in sums.items() if weights > 0}
