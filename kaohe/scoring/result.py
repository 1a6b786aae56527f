"""Results carry their reasons: every point traces to the rows and figures behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Line:
    """One reason an item moved: a rule's rows, an economic figure, the floor or the cap."""

    source: str  # "ledger" | "economy" | "floor" | "cap" | "measure" | "weights"
    effect: Decimal
    rule: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "rule": self.rule, "effect": self.effect, **self.detail}


NOTHING_TO_SCORE = "nothing to score"


class ItemResult(NamedTuple):
    code: str
    base: Decimal
    raw: Decimal  # base + Σ effects, before floor and cap
    score: Decimal
    lines: tuple[Line, ...] = ()
    weight: Decimal | None = None  # weighted schemes: the item's share among its siblings


@dataclass(frozen=True)
class UnitResult:
    unit: str
    group: str
    total: Decimal
    categories: dict[str, Decimal]
    items: dict[str, ItemResult]
    vetoed: bool = False
    veto_reasons: tuple[dict[str, Any], ...] = ()
    at_risk: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
    rank: int | None = None
    prize: int | None = None
    grade: str | None = None  # weighted schemes: 优秀/良好/合格/不合格 after quotas
    notes: tuple[dict[str, Any], ...] = ()  # what was left out, renormalised or demoted, and why

    @property
    def unscored(self) -> bool:
        """Nothing at all could be scored (no ratings, no measures): no rank and no grade, not a zero."""
        return NOTHING_TO_SCORE in self.warnings

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "group": self.group,
            "total": self.total,
            "vetoed": self.vetoed,
            "veto_reasons": list(self.veto_reasons),
            "at_risk": list(self.at_risk),
            "rank": self.rank,
            "prize": self.prize,
            "grade": self.grade,
            "categories": dict(self.categories),
            "items": {code: item.score for code, item in self.items.items()},
            "explanation": {
                code: {
                    "base": item.base,
                    "raw": item.raw,
                    "score": item.score,
                    "lines": [line.as_dict() for line in item.lines],
                    **({"weight": item.weight} if item.weight is not None else {}),
                }
                for code, item in self.items.items()
                if item.lines
            },
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


def with_changes(unit: UnitResult, **changes: Any) -> UnitResult:
    """``dataclasses.replace`` for a UnitResult, a dict copy instead of a second run of its generated __init__.

    Ranking and grading each make a changed copy of every subject; UnitResult has no ``__post_init__`` and
    no field left out of ``__init__``, so the copy is the same object ``replace`` would build.
    """
    copy = object.__new__(UnitResult)
    copy.__dict__.update(unit.__dict__, **changes)
    return copy


@dataclass(frozen=True)
class SchemeResult:
    scheme: str
    as_of: str
    year_end: bool
    units: tuple[UnitResult, ...]
    grading: tuple[dict[str, Any], ...] = ()  # per group: each quota, who was admitted, who was demoted

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "as_of": self.as_of,
            "year_end": self.year_end,
            "units": [u.as_dict() for u in self.units],
            "grading": list(self.grading),
        }

    def unit(self, name: str) -> UnitResult:
        return next(u for u in self.units if u.unit == name)
