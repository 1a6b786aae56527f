"""One small function per rule kind: (rule, tally, context) → the rule's effect on its item.

Adding a kind is one function here and one entry in ``EFFECTS``.
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


@dataclass(frozen=True)
class Context:
    item_base: Decimal
    places: int

    def round(self, value: Decimal) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)


def _line(rule: RuleSpec, tally: Tally, effect: Decimal, **detail) -> Line:
    return Line(
        source="ledger",
        rule=rule.code,
        effect=effect,
        detail={
            "kind": str(rule.kind),
            "count": tally.count,
            "quantity": tally.quantity,
            **detail,
            "rows": [_row(r) for r in tally.rows],
        },
    )


def _row(row: Row) -> dict:
    return {"id": row.id, "date": row.date, "quantity": row.quantity, "points": row.points, "note": row.note}


def one_off(rule: RuleSpec, tally: Tally, ctx: Context) -> Line:
    # Net quantity, so that a reversing row cancels the occurrence it corrects.
    effect = ctx.round(rule.amount) if tally.quantity > 0 else ZERO
    return _line(rule, tally, effect)


def per_occurrence(rule: RuleSpec, tally: Tally, ctx: Context) -> Line:
    return _line(rule, tally, ctx.round(rule.amount * tally.quantity))


def tiered(rule: RuleSpec, tally: Tally, ctx: Context) -> Line:
    bands = sorted(rule.bands, key=lambda b: b.limit, reverse=True)
    total = ZERO
    for row in tally.rows:
        band = next((b for b in bands if row.quantity >= b.limit), None)
        if band is not None:
            total += band.points
    return _line(rule, tally, ctx.round(total))


def proportional(rule: RuleSpec, tally: Tally, ctx: Context) -> Line:
    # The completion ratio is a state, not a flow: the latest row says where the unit stands.
    latest = max(tally.rows, key=lambda r: (r.date, r.id), default=None)
    if latest is None:
        return _line(rule, tally, ZERO)
    ratio = min(ONE, max(ZERO, latest.quantity))
    amount = rule.amount if rule.amount is not None else -ctx.item_base
    return _line(rule, tally, ctx.round(amount * (ONE - ratio)), ratio=ratio, used_row=latest.id)


def count_threshold(rule: RuleSpec, tally: Tally, ctx: Context) -> Line:
    bands = sorted(rule.bands, key=lambda b: b.limit)
    band = next((b for b in bands if tally.quantity < b.limit), None)
    effect = ctx.round(band.points) if band else ZERO
    return _line(rule, tally, effect, below=band.limit if band else None)


def discretionary(rule: RuleSpec, tally: Tally, ctx: Context) -> Line:
    # Each row is checked against the range on entry; the rule's total is held to it as well.
    total = tally.points
    clamped = total
    if rule.min_points is not None:
        clamped = max(clamped, rule.min_points)
    if rule.max_points is not None:
        clamped = min(clamped, rule.max_points)
    detail = {"entered": total} if clamped != total else {}
    return _line(rule, tally, ctx.round(clamped), **detail)


EFFECTS: dict[Kind, Callable[[RuleSpec, Tally, Context], Line]] = {
    Kind.ONE_OFF: one_off,
    Kind.PER_OCCURRENCE: per_occurrence,
    Kind.TIERED: tiered,
    Kind.PROPORTIONAL: proportional,
    Kind.COUNT_THRESHOLD: count_threshold,
    Kind.DISCRETIONARY: discretionary,
}
