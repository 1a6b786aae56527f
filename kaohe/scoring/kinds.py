"""One small function per rule kind: (rule, tally, context) → (effect on the item, extra detail).

Adding a kind is one function here and one entry in ``EFFECTS``. The detail is a small dict of
what a reader needs beyond the rows themselves (the ratio used, the band hit, …).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .facts import Row, Tally
from .result import Line
from .spec import Kind, RuleSpec

ZERO = Decimal(0)
ONE = Decimal(1)
NO_DETAIL: dict = {}

Effect = tuple[Decimal, dict]


@dataclass(frozen=True)
class Context:
    item_base: Decimal
    places: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantum", Decimal(1).scaleb(-self.places))

    def round(self, value: Decimal) -> Decimal:
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)


def one_off(rule: RuleSpec, tally: Tally, ctx: Context) -> Effect:
    # Net quantity, so that a reversing row cancels the occurrence it corrects.
    return (ctx.round(rule.amount) if tally.quantity > 0 else ZERO), NO_DETAIL


def per_occurrence(rule: RuleSpec, tally: Tally, ctx: Context) -> Effect:
    return ctx.round(rule.amount * tally.quantity), NO_DETAIL


def tiered(rule: RuleSpec, tally: Tally, ctx: Context) -> Effect:
    bands = sorted(rule.bands, key=lambda b: b.limit, reverse=True)
    total = ZERO
    for row in tally.rows:
        band = next((b for b in bands if row.quantity >= b.limit), None)
        if band is not None:
            total += band.points
    return ctx.round(total), NO_DETAIL


def proportional(rule: RuleSpec, tally: Tally, ctx: Context) -> Effect:
    # The completion ratio is a state, not a flow: the latest row says where the unit stands.
    latest = max(tally.rows, key=lambda r: (r.date, r.id), default=None)
    if latest is None:
        return ZERO, NO_DETAIL
    ratio = min(ONE, max(ZERO, latest.quantity))
    amount = rule.amount if rule.amount is not None else -ctx.item_base
    return ctx.round(amount * (ONE - ratio)), {"ratio": ratio, "used_row": latest.id}


def count_threshold(rule: RuleSpec, tally: Tally, ctx: Context) -> Effect:
    bands = sorted(rule.bands, key=lambda b: b.limit)
    band = next((b for b in bands if tally.quantity < b.limit), None)
    return (ctx.round(band.points) if band else ZERO), {"below": band.limit if band else None}


def discretionary(rule: RuleSpec, tally: Tally, ctx: Context) -> Effect:
    # Each row is checked against the range on entry; the rule's total is held to it as well.
    total = clamped = tally.points
    if rule.min_points is not None and clamped < rule.min_points:
        clamped = rule.min_points
    if rule.max_points is not None and clamped > rule.max_points:
        clamped = rule.max_points
    return ctx.round(clamped), ({"entered": total} if clamped != total else NO_DETAIL)


EFFECTS: dict[Kind, Callable[[RuleSpec, Tally, Context], Effect]] = {
    Kind.ONE_OFF: one_off,
    Kind.PER_OCCURRENCE: per_occurrence,
    Kind.TIERED: tiered,
    Kind.PROPORTIONAL: proportional,
    Kind.COUNT_THRESHOLD: count_threshold,
    Kind.DISCRETIONARY: discretionary,
}


def explain(rule: RuleSpec, tally: Tally, effect: Effect) -> Line:
    """The line a reader sees: the rule, its kind, the sums, the extra detail and every row."""
    amount, extra = effect
    return Line(
        source="ledger",
        rule=rule.code,
        effect=amount,
        detail={
            "kind": str(rule.kind),
            "count": tally.count,
            "quantity": tally.quantity,
            **extra,
            "rows": [_row(r) for r in tally.rows],
        },
    )


def _row(row: Row) -> dict:
    return {"id": row.id, "date": row.date, "quantity": row.quantity, "points": row.points, "note": row.note}
