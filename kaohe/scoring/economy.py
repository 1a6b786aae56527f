"""Economic completion against time-proportional progress (序时进度), and the economic veto."""

from __future__ import annotations

from decimal import Decimal

from .facts import AsOf, Figure
from .kinds import ONE, ZERO, Context
from .result import Line
from .spec import EconomicSpec, RuleSpec

TWELVE = Decimal(12)


def latest_figures(figures: list[Figure], as_of: AsOf) -> dict[str, Figure]:
    """The most recent figure per indicator reported no later than ``as_of``."""
    chosen: dict[str, Figure] = {}
    for fig in figures:
        if fig.month > as_of:
            continue
        current = chosen.get(fig.indicator)
        if current is None or fig.month > current.month:
            chosen[fig.indicator] = fig
    return chosen


def expected(target: Decimal, as_of: AsOf) -> Decimal:
    return target if as_of.year_end else target * Decimal(as_of.month) / TWELVE


def completion(actual: Decimal, wanted: Decimal) -> Decimal:
    """min(1, actual / expected), never below 0; a zero target counts as met."""
    if wanted <= 0:
        return ONE
    return min(ONE, max(ZERO, actual / wanted))


def economic_lines(
    rule: RuleSpec,
    indicators: tuple[EconomicSpec, ...],
    figures: dict[str, Figure],
    as_of: AsOf,
    ctx: Context,
) -> list[Line]:
    """One line per indicator: its weight × completion, written as the shortfall from the weight."""
    lines = []
    for ind in indicators:
        fig = figures.get(ind.code)
        if fig is None:
            lines.append(
                Line("economy", -ind.weight, rule.code, {"indicator": ind.code, "weight": ind.weight,
                                                         "missing": True, "points": ZERO})
            )
            continue
        wanted = expected(fig.target, as_of)
        ratio = completion(fig.actual, wanted)
        points = ctx.round(ind.weight * ratio)
        lines.append(
            Line(
                "economy",
                points - ind.weight,
                rule.code,
                {
                    "indicator": ind.code,
                    "weight": ind.weight,
                    "target": fig.target,
                    "actual": fig.actual,
                    "expected": ctx.round(wanted),
                    "ratio": ratio.quantize(Decimal("0.0001")),
                    "points": points,
                    "reported": str(fig.month),
                },
            )
        )
    return lines


def economic_effect(
    indicators: tuple[EconomicSpec, ...], figures: dict[str, Figure], as_of: AsOf, ctx: Context
) -> Decimal:
    """The sum of :func:`economic_lines`' effects without building the lines (ranking needs no reasons)."""
    total = ZERO
    year_end = as_of.year_end
    for ind in indicators:
        fig = figures.get(ind.code)
        if fig is None:
            total -= ind.weight
            continue
        # completion() and expected() written out: a large scheme asks this for every unit and indicator, and
        # a target met needs no division.
        wanted = fig.target if year_end else expected(fig.target, as_of)
        ratio = ONE if wanted <= 0 or fig.actual >= wanted else max(ZERO, fig.actual / wanted)
        total += ctx.round(ind.weight * ratio) - ind.weight
    return total


def economic_shortfalls(
    indicators: tuple[EconomicSpec, ...], figures: dict[str, Figure], as_of: AsOf
) -> list[dict]:
    """Veto-set indicators whose actual is strictly below the target (序时 target mid-year)."""
    found = []
    year_end = as_of.year_end
    for ind in indicators:
        if not ind.in_veto:
            continue
        fig = figures.get(ind.code)
        if fig is None:
            continue
        wanted = fig.target if year_end else expected(fig.target, as_of)
        if fig.actual < wanted:
            found.append(
                {"code": "veto.economy", "indicator": ind.code, "target": fig.target,
                 "expected": wanted.quantize(Decimal("0.0001")), "actual": fig.actual}
            )
    return found
