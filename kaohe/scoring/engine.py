"""score_scheme: per item base + Σ rule effects, floored and capped; categories; vetoes; ranks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .economy import economic_lines, economic_shortfalls, latest_figures
from .facts import AsOf, Figure, Tally, UnitFact
from .kinds import EFFECTS, ZERO, Context
from .ranking import rank_units
from .result import ItemResult, Line, SchemeResult, UnitResult
from .spec import ItemSpec, Kind, RuleSpec, SchemeSpec


def score_scheme(
    scheme: SchemeSpec,
    units: Iterable[UnitFact],
    tallies: Iterable[Tally],
    figures: Iterable[Figure] = (),
    as_of: AsOf | None = None,
) -> SchemeResult:
    """Score every unit of ``scheme``. Deterministic; the inputs are never changed."""
    as_of = as_of or AsOf(scheme.year, 12)
    tallies_by_unit: dict[str, list[Tally]] = defaultdict(list)
    for tally in tallies:
        tallies_by_unit[tally.unit].append(tally)
    figures_by_unit: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        figures_by_unit[fig.unit].append(fig)

    plan = _Plan(scheme)
    results = [
        plan.score_unit(unit, tallies_by_unit.get(unit.name, []), figures_by_unit.get(unit.name, []), as_of)
        for unit in units
    ]
    return SchemeResult(scheme.code, str(as_of), as_of.year_end, tuple(rank_units(scheme, results)))


class _Plan:
    """The scheme's shape worked out once, so scoring a unit is a plain walk."""

    def __init__(self, scheme: SchemeSpec) -> None:
        self.scheme = scheme
        self.leaves = scheme.leaves()
        self.categories = scheme.categories()
        self.items = {i.code: i for i in scheme.items}
        self.rules_by_item: dict[str, list[RuleSpec]] = defaultdict(list)
        for rule in scheme.rules:
            if rule.item:
                self.rules_by_item[rule.item].append(rule)
        self.children: dict[str, list[str]] = defaultdict(list)
        for item in scheme.items:
            if item.parent:
                self.children[item.parent].append(item.code)
        self.veto_rules = {r.code for r in scheme.rules if r.kind == Kind.VETO}

    def score_unit(self, unit: UnitFact, tallies: list[Tally], figures: list[Figure], as_of: AsOf) -> UnitResult:
        by_rule = {t.rule: t for t in tallies}
        chosen = latest_figures(figures, as_of)
        warnings = [f"no figure for {ind.code} by {as_of}" for ind in self.scheme.economic
                    if ind.code not in chosen and self._has_economic_rule()]

        items = {leaf.code: self._score_item(leaf, by_rule, chosen, as_of) for leaf in self.leaves}
        categories = {cat.code: self._category_score(cat.code, items) for cat in self.categories}
        total = sum(categories.values(), ZERO)

        reasons = economic_shortfalls(self.scheme.economic, chosen, as_of)
        for code in sorted(self.veto_rules):
            tally = by_rule.get(code)
            if tally and tally.quantity > 0:
                reasons.append({"code": code, "rows": [r.id for r in tally.rows], "count": tally.count})
        vetoed = as_of.year_end and bool(reasons)
        return UnitResult(
            unit=unit.name,
            group=unit.group,
            total=total,
            categories=categories,
            items=items,
            vetoed=vetoed,
            veto_reasons=tuple(reasons) if as_of.year_end else (),
            at_risk=() if as_of.year_end else tuple(reasons),
            warnings=tuple(warnings),
        )

    def _has_economic_rule(self) -> bool:
        return any(r.kind == Kind.ECONOMIC for r in self.scheme.rules)

    def _score_item(self, item: ItemSpec, by_rule: dict[str, Tally], figures: dict, as_of: AsOf) -> ItemResult:
        ctx = Context(item_base=item.base, places=self.scheme.places)
        lines: list[Line] = []
        for rule in self.rules_by_item.get(item.code, ()):
            if rule.kind == Kind.ECONOMIC:
                lines.extend(economic_lines(rule, self.scheme.economic, figures, as_of, ctx))
                continue
            tally = by_rule.get(rule.code)
            if tally is None:
                continue
            lines.append(EFFECTS[rule.kind](rule, tally, ctx))
        raw = item.base + sum((line.effect for line in lines), ZERO)
        score = raw
        if item.floor is not None and score < item.floor:
            lines.append(Line("floor", item.floor - score, None, {"floor": item.floor}))
            score = item.floor
        if item.cap is not None and score > item.cap:
            lines.append(Line("cap", item.cap - score, None, {"cap": item.cap}))
            score = item.cap
        return ItemResult(item.code, item.base, raw, score, tuple(lines))

    def _category_score(self, code: str, items: dict[str, ItemResult]) -> Decimal:
        if code in items:
            return items[code].score
        return sum((self._category_score(child, items) for child in self.children[code]), ZERO)
