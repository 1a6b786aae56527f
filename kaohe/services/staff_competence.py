"""The service centre's 业务能力: its staff's composite scores in the employee appraisal of the same year.

The composite is read where a reader of the employee appraisal reads it: the latest published version of
the scheme's latest published year-end round, or, before anything is published, the scheme's current
result at year end (the measure's note says which, so a provisional mean is never mistaken for a final one).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kaohe.models import Scheme
from kaohe.services.published import latest_version, version_result
from kaohe.services.scoring import score


@dataclass(frozen=True)
class Composites:
    scores: dict[str, Decimal]  # person → composite, for every person the appraisal scored
    round_name: str  # the published round read, or "" for the current result


def composites(employee_scheme: Scheme) -> Composites:
    published = (employee_scheme.rounds.filter(period="year_end", published_at__isnull=False)
                 .order_by("-published_at").first())
    version = latest_version(published) if published is not None else None
    if version is not None:
        result, name = version_result(version), published.name
    else:
        result, name = score(employee_scheme, explain=False), ""
    return Composites({u.unit: u.total for u in result.units if not u.unscored}, name)


def staff_mean(scores: list[Decimal], places: int = 2) -> Decimal:
    """The plain mean, rounded half-up to the centre scheme's places."""
    quantum = Decimal(1).scaleb(-places)
    return (sum(scores, Decimal(0)) / len(scores)).quantize(quantum, rounding=ROUND_HALF_UP)
