"""score_scheme: per item base + Σ rule effects, floored and capped; categories; vetoes; ranks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .economy import economic_effect, economic_lines, economic_shortfalls, latest_figures
from .facts import AsOf, Figure, Measure, RatingsByUnit, RatingTally, TalliesByUnit, Tally, UnitFact
from .grading import grade_units
from .kinds import EFFECTS, ZERO, Context, explain
from .ranking import rank_units
from .result import ItemResult, Line, SchemeResult, UnitResult
from .spec import ROW_KINDS, ItemSpec, Kind, Method, RuleSpec, SchemeSpec
from .weighted import WeightedPlan


def score_scheme(
    scheme: SchemeSpec,
    units: Iterable[UnitFact],
    tallies: Iterable[Tally],
    figures: Iterable[Figure] = (),
    as_of: AsOf | None = None,
    *,
    with_lines: bool = True,
    ratings: Iterable[RatingTally] = (),
    measures: Iterable[Measure] = (),
) -> SchemeResult:
    """Score every unit of ``scheme``. Deterministic; the inputs are never changed.

    Points schemes read ``tallies`` and ``figures``; weighted schemes read ``ratings`` and
    ``measures``; objectives read ``measures`` keyed by task. ``with_lines=False`` leaves out the
    per-item explanation lines (same scores, far fewer objects) for callers that only rank.
    """
    as_of = as_of or AsOf(scheme.year, 12)
    if scheme.method != Method.POINTS:
        return _score_weighted(scheme, list(units), ratings, measures, as_of, with_lines)
    if isinstance(tallies, TalliesByUnit):
        tallies_by_unit = tallies.by_unit
    else:  # a plain list of tallies: grouped the same way, each as its entry (everything after the unit)
        tallies_by_unit = defaultdict(list)
        for tally in tallies:
            tallies_by_unit[tally[0]].append(tally[1:])
    figures_by_unit: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        figures_by_unit[fig.unit].append(fig)

    plan = _Plan(scheme, with_lines)
    results = [
        plan.score_unit(unit, tallies_by_unit.get(unit.name, []), figures_by_unit.get(unit.name, []), as_of)
        for unit in units
    ]
    return SchemeResult(scheme.code, str(as_of), as_of.year_end, tuple(rank_units(scheme, results)))


def _score_weighted(scheme: SchemeSpec, units: list[UnitFact], ratings: Iterable[RatingTally],
                    measures: Iterable[Measure], as_of: AsOf, with_lines: bool) -> SchemeResult:
    plan = WeightedPlan(scheme, with_lines)
    if scheme.method == Method.OBJECTIVES:
        results = plan.score_owners(units, list(measures))
    else:
        ratings_by_unit = ratings.by_unit if isinstance(ratings, RatingsByUnit) else _by_unit(ratings)
        measures_by_unit: dict[str, list[Measure]] = defaultdict(list)
        for measure in measures:
            measures_by_unit[measure.unit].append(measure)
        results = [plan.score_unit(unit, ratings_by_unit.get(unit.name, {}), measures_by_unit.get(unit.name, []))
                   for unit in units]
    graded, report = grade_units(scheme, rank_units(scheme, results))
    return SchemeResult(scheme.code, str(as_of), as_of.year_end, tuple(graded), tuple(report))


def _by_unit(ratings: Iterable[RatingTally]) -> dict[str, dict[str, tuple[tuple, ...]]]:
    """By unit, then by criterion, each tally as its (source, group, count, total): see RatingsByUnit."""
    grouped: dict[str, dict[str, list[tuple]]] = {}
    for tally in ratings:
        by_rule = grouped.get(tally[0])  # by position: an attribute costs a descriptor call
        if by_rule is None:
            by_rule = grouped[tally[0]] = {}
        given = by_rule.get(tally[1])
        if given is None:
            by_rule[tally[1]] = [tally[2:]]
        else:
            given.append(tally[2:])
    return {unit: {rule: tuple(given) for rule, given in by_rule.items()} for unit, by_rule in grouped.items()}


class _Plan:
    """The scheme's shape worked out once, so scoring a unit is one pass over its tallies."""

    def __init__(self, scheme: SchemeSpec, with_lines: bool) -> None:
        self.scheme = scheme
        self.with_lines = with_lines
        self.leaves = scheme.leaves()
        self.bases = {leaf.code: leaf.base for leaf in self.leaves}
        contexts = {i.code: Context(item_base=i.base, places=scheme.places) for i in self.leaves}
        # rule code → (its position, its item, the kind's function, the rule, the item's context,
        #              whether the effect depends on the sums alone and so can be remembered)
        self.dispatch: dict[str, tuple] = {}
        # (rule, quantity, points) → (item, points, effect, rule position, rule), for rules read by their sums
        self.memo: dict[tuple, tuple] = {}
        self.held: dict[tuple, ItemResult] = {}  # (item, raw value) → the item held at its floor or cap
        self.economic: list[tuple[str, RuleSpec, Context]] = []
        for position, rule in enumerate(scheme.rules):
            if rule.kind == Kind.ECONOMIC:
                self.economic.append((rule.item, rule, contexts[rule.item]))
            elif rule.item and rule.kind in EFFECTS:
                self.dispatch[rule.code] = (position, rule.item, EFFECTS[rule.kind], rule, contexts[rule.item],
                                            rule.kind not in ROW_KINDS)
        self.veto_rules = sorted(r.code for r in scheme.rules if r.kind == Kind.VETO)
        self.veto_set = frozenset(self.veto_rules)
        self.economic_codes = tuple(ind.code for ind in scheme.economic)
        self.economic_set = frozenset(self.economic_codes)
        children: dict[str, list[str]] = defaultdict(list)
        for item in scheme.items:
            if item.parent:
                children[item.parent].append(item.code)

        def leaves_under(code: str) -> list[str]:
            return [code] if code not in children else [c for child in children[code] for c in leaves_under(child)]

        category_leaves = {cat.code: leaves_under(cat.code) for cat in scheme.categories()}
        limits = {leaf.code: (leaf, leaf.code, leaf.base, leaf.floor, leaf.cap) for leaf in self.leaves}
        self.leaf_codes = tuple(limits)
        # Each category with its leaves, summed as they are finished; leaves under no category (None) are only scored.
        placed = {code for leaves in category_leaves.values() for code in leaves}
        self.category_plan = tuple((category, tuple(limits[code] for code in leaves))
                                   for category, leaves in category_leaves.items())
        if len(placed) < len(limits):
            self.category_plan += ((None, tuple(row for code, row in limits.items() if code not in placed)),)

    def score_unit(self, unit: UnitFact, entries: list[tuple], figures: list[Figure], as_of: AsOf) -> UnitResult:
        """``entries``: the unit's tallies as (rule, count, quantity, points, rows), see TalliesByUnit."""
        raw = dict(self.bases)
        lines: dict[str, list[tuple[int, Line]]] = defaultdict(list) if self.with_lines else {}
        with_lines = self.with_lines
        dispatch, memo = self.dispatch, self.memo
        vetoes = {}
        for entry in entries:
            # Most entries repeat a few (rule, quantity, points) combinations, and the kinds that read sums alone
            # are pure: remembered.
            key = (entry[0], entry[2], entry[3])
            known = memo.get(key)
            if known is None:
                code = entry[0]
                found = dispatch.get(code)
                if found is None:
                    if code in self.veto_set:
                        vetoes[code] = _tally(Tally, (unit.name, *entry))
                    continue
                position, item, effect_of, rule, ctx, by_sums = found
                effect = effect_of(rule, _tally(Tally, (unit.name, *entry)), ctx)
                known = (item, effect[0], effect, position, rule)
                if by_sums:
                    memo[key] = known
            raw[known[0]] += known[1]
            if with_lines:
                lines[known[0]].append((known[3], explain(known[4], _tally(Tally, (unit.name, *entry)), known[2])))

        chosen = latest_figures(figures, as_of)
        warnings = ()
        if self.economic and not self.economic_set <= chosen.keys():  # a figure is missing
            warnings = tuple(f"no figure for {code} by {as_of}" for code in self.economic_codes
                             if code not in chosen)
        for item, rule, ctx in self.economic:
            if with_lines:
                economic = economic_lines(rule, self.scheme.economic, chosen, as_of, ctx)
                raw[item] += sum((line.effect for line in economic), ZERO)
                lines[item].extend((-1, line) for line in economic)
            else:
                raw[item] += economic_effect(self.scheme.economic, chosen, as_of, ctx)

        items = dict.fromkeys(self.leaf_codes)  # in the scheme's order, whatever order categories are summed in
        categories = {}
        total = ZERO
        held = self.held
        for category, leaves in self.category_plan:
            subtotal = ZERO
            for leaf, code, base, floor, cap in leaves:
                value = raw[code]
                if code in lines:
                    found = self._finish_item(leaf, value, lines[code])
                elif (floor is not None and value < floor) or (cap is not None and value > cap):
                    # Held at its floor or cap with nothing else to explain: many units share the same raw value.
                    found = held.get((code, value))
                    if found is None:
                        found = held[code, value] = self._finish_item(leaf, value, ())
                else:  # nothing to explain and nothing to hold back: the common case, kept cheap
                    found = _item(ItemResult, (code, base, value, value, (), None))
                items[code] = found
                subtotal += found[3]  # its score
            if category is not None:
                categories[category] = subtotal
                total += subtotal

        reasons = economic_shortfalls(self.scheme.economic, chosen, as_of)
        for code in self.veto_rules:
            tally = vetoes.get(code)
            if tally and tally.quantity > 0:
                reasons.append({"code": code, "rows": [r.id for r in tally.rows], "count": tally.count})
        year_end = as_of.year_end
        return UnitResult(
            unit=unit.name,
            group=unit.group,
            total=total,
            categories=categories,
            items=items,
            vetoed=year_end and bool(reasons),
            veto_reasons=tuple(reasons) if year_end else (),
            at_risk=() if year_end else tuple(reasons),
            warnings=warnings,
        )

    @staticmethod
    def _finish_item(item: ItemSpec, raw: Decimal, ordered: list[tuple[int, Line]]) -> ItemResult:
        """Floor and cap; the explanation in the scheme's rule order, whatever order rows came in."""
        lines = [line for _position, line in sorted(ordered, key=_position)] if ordered else []
        score = raw
        if item.floor is not None and score < item.floor:
            lines.append(Line("floor", item.floor - score, None, {"floor": item.floor}))
            score = item.floor
        if item.cap is not None and score > item.cap:
            lines.append(Line("cap", item.cap - score, None, {"cap": item.cap}))
            score = item.cap
        return ItemResult(item.code, item.base, raw, score, tuple(lines) if lines else ())


# Named tuples built without their generated __new__: a large scheme makes some sixty thousand items per run.
_item = _tally = tuple.__new__


def _position(pair: tuple[int, Line]) -> int:
    return pair[0]
