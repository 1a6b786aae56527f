"""What a scheme says: items, rules, economic indicators, groups. Plain, frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    ONE_OFF = "one_off"  # applies its amount once when the thing happened at all
    PER_OCCURRENCE = "per_occurrence"  # amount × number of occurrences
    TIERED = "tiered"  # each row's value falls in a band; the band's points per row
    PROPORTIONAL = "proportional"  # amount × (1 − completion ratio of the latest row)
    COUNT_THRESHOLD = "count_threshold"  # the year's count falls below a band limit
    DISCRETIONARY = "discretionary"  # the scorer's amount, within a range, with a reason
    ECONOMIC = "economic"  # weighted completion of the economic indicators (序时进度)
    VETO = "veto"  # a recorded event that disqualifies the unit (一票否决)
    ECONOMIC_VETO = "economic_veto"  # computed from the figures; never entered by hand
    # Weighted schemes (appraisal, objectives, KPIs): a leaf's score on a 0–100 scale from its measures.
    RATING = "rating"  # weighted mean of ratings, by source and rater group (360°)
    RATIO = "ratio"  # 100 × actual / target
    CAPPED = "capped"  # 100 × actual / target, held to the rule's maximum (e.g. 120)
    LOWER_BETTER = "lower_better"  # 100 × target / actual: costs, energy per unit
    BANDED = "banded"  # the band the value reaches: a value ≥ limit earns the band's points


class Method(StrEnum):
    POINTS = "points"  # base + Σ effects per item; categories and total are sums (the town scheme)
    WEIGHTED = "weighted"  # each subject's criteria scored 0–100; parents are weighted means
    OBJECTIVES = "objectives"  # one shared target tree; each owner scores the nodes they own


# Kinds that score a leaf of a weighted scheme from measures rather than from ledger effects.
WEIGHTED_KINDS = frozenset({Kind.RATING, Kind.RATIO, Kind.CAPPED, Kind.LOWER_BETTER, Kind.BANDED})
# Weighted kinds that compare an actual with a target.
TARGET_KINDS = frozenset({Kind.RATIO, Kind.CAPPED, Kind.LOWER_BETTER})


# Kinds whose rows are entered in the ledger (the others are computed).
ENTERED_KINDS = frozenset(
    {
        Kind.ONE_OFF,
        Kind.PER_OCCURRENCE,
        Kind.TIERED,
        Kind.PROPORTIONAL,
        Kind.COUNT_THRESHOLD,
        Kind.DISCRETIONARY,
        Kind.VETO,
    }
)
# Kinds whose quantity is a count of occurrences: whole and not negative.
COUNT_KINDS = frozenset({Kind.ONE_OFF, Kind.PER_OCCURRENCE, Kind.COUNT_THRESHOLD, Kind.VETO})
# Kinds that need the individual rows, not only their sums.
ROW_KINDS = frozenset({Kind.TIERED, Kind.PROPORTIONAL})


@dataclass(frozen=True)
class Band:
    """TIERED: a value ≥ ``limit`` earns ``points`` (highest band reached wins).
    COUNT_THRESHOLD: a count < ``limit`` costs ``points`` (lowest band that matches wins)."""

    limit: Decimal
    points: Decimal


@dataclass(frozen=True)
class RuleSpec:
    code: str
    kind: Kind
    item: str | None = None  # None for veto rules, which belong to no item
    name: str = ""
    amount: Decimal | None = None
    min_points: Decimal | None = None
    max_points: Decimal | None = None
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    base: Decimal
    parent: str | None = None
    floor: Decimal | None = Decimal(0)  # None: no floor at all
    cap: Decimal | None = None
    order: int = 0
    weight: Decimal | None = None  # weighted schemes: share among its siblings, in percent
    group: str | None = None  # weighted schemes: applies only to subjects of this group (department KPIs)
    owner: str | None = None  # objectives: who answers for this node
    target: Decimal | None = None  # objectives: the node's measurable target


@dataclass(frozen=True)
class EconomicSpec:
    code: str
    name: str
    weight: Decimal
    in_veto: bool = False


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    prizes: tuple[int, ...] = ()  # quota per prize level: (1, 1, 1) = one first, second, third


@dataclass(frozen=True)
class RaterGroupSpec:
    """Who rates within a source (superior, peers, subordinates), with a weight and a minimum head count."""

    code: str
    name: str
    weight: Decimal
    min_raters: int = 1


@dataclass(frozen=True)
class SourceSpec:
    """Where ratings come from (quarterly review, customer survey, 360°, spot check, self + superior)."""

    code: str
    name: str
    weight: Decimal
    groups: tuple[RaterGroupSpec, ...] = ()  # empty: one group of anyone, minimum one rater
    criteria: tuple[str, ...] = ()  # the leaves it rates; empty: every rating leaf
    calendar: str = "annual"  # quarterly, half_yearly, annual, random: when it is collected

    def rates(self, criterion: str) -> bool:
        return not self.criteria or criterion in self.criteria


@dataclass(frozen=True)
class GradeSpec:
    """A grade reached at ``min_score``; ``quota`` is the largest share of a group it may hold."""

    code: str
    name: str
    min_score: Decimal
    quota: Decimal | None = None  # e.g. 0.20: at most 20 % of the group
    needs_plan: bool = False  # 不合格: an improvement plan is due before the round closes


@dataclass(frozen=True)
class SchemeSpec:
    code: str
    year: int
    items: tuple[ItemSpec, ...]
    rules: tuple[RuleSpec, ...]
    economic: tuple[EconomicSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    places: int = 2  # every effect is rounded half-up to this many decimals
    tie_breakers: tuple[str, ...] = ()  # "category:8", "item:1.2": higher wins a tie
    method: Method = Method.POINTS
    sources: tuple[SourceSpec, ...] = ()
    grades: tuple[GradeSpec, ...] = ()  # highest first
    _rules_by_code: dict = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rules_by_code", {r.code: r for r in self.rules})

    def rule(self, code: str) -> RuleSpec | None:
        return self._rules_by_code.get(code)

    def leaves(self) -> tuple[ItemSpec, ...]:
        parents = {i.parent for i in self.items if i.parent}
        return tuple(i for i in self.items if i.code not in parents)

    def categories(self) -> tuple[ItemSpec, ...]:
        return tuple(i for i in self.items if i.parent is None)

    def children(self) -> dict[str | None, list[ItemSpec]]:
        """Each item's children in order; ``None`` holds the categories."""
        found: dict[str | None, list[ItemSpec]] = {}
        for item in self.items:
            found.setdefault(item.parent, []).append(item)
        return found

    def group(self, code: str) -> GroupSpec | None:
        return next((g for g in self.groups if g.code == code), None)
