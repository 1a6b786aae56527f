"""Weighted schemes: each leaf scored 0–100 from its measures, each parent the weighted mean of its children.

Two shapes share this module:

* ``weighted`` (employee appraisal, department KPIs): every subject has its own copy of the tree;
  a leaf without anything to score is left out and its siblings' weights are renormalised.
* ``objectives`` (management by objectives): one target tree, shared; a task without progress has
  completed nothing (0); each owner is scored on the nodes they answer for.

Every node's score is rounded half-up to the scheme's places, and a parent is computed from its
children's rounded scores, so a reader can redo every step from the figures shown.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .facts import Measure, RatingTally, UnitFact
from .formulas import MEASURED, rating
from .result import NOTHING_TO_SCORE, ItemResult, Line, UnitResult
from .spec import WEIGHTED_KINDS, ItemSpec, Kind, SchemeSpec

ZERO = Decimal(0)
ONE = Decimal(1)
NOT_APPLICABLE = object()  # the node is for another group (a sales KPI, for the finance department)


class WeightedPlan:
    def __init__(self, scheme: SchemeSpec, with_lines: bool) -> None:
        self.scheme = scheme
        self.with_lines = with_lines
        self.children = scheme.children()
        self.rule_of = {r.item: r for r in scheme.rules if r.item and r.kind in WEIGHTED_KINDS}
        self.quantum = ONE.scaleb(-scheme.places)
        self.memo: dict[tuple, tuple] = {}
        self.rated: dict[str, dict[tuple, tuple]] = {}  # criterion → its tallies' key → the finished leaf
        self.rating_memo: dict[tuple, dict[tuple, tuple]] = {}  # rating sources → tallies' key → rating()
        self.layouts: dict[str, list[tuple]] = {}  # group → the tree its subjects are scored on

    def round(self, value: Decimal) -> Decimal:
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)

    # -- weighted: a tree per subject -------------------------------------------------------------
    def score_unit(self, unit: UnitFact, by_rule: dict[str, tuple[tuple, ...]], measures: list[Measure]) -> UnitResult:
        """``by_rule``: the unit's rating tallies by criterion code, each as (source, group, count, total)."""
        if not self.with_lines:
            return self._score_plain(unit, by_rule, measures)
        measured = {m.rule: m for m in measures}
        items: dict[str, ItemResult] = {}
        notes: list[dict] = []
        memo = self.memo

        def leaf(item) -> Decimal | None:
            rule = self.rule_of.get(item.code)
            if rule is None:
                return None
            if rule.kind == Kind.RATING:
                # Letter ratings make the same (group, count, sum) combinations recur, and a leaf's result
                # depends on nothing else: remember the finished leaf, not only the mean.
                given = by_rule.get(rule.code, ())
                # Unsorted: the same tallies in another order only miss the memo, they never share a wrong entry.
                key = (rule.code, *given)
                found = memo.get(key)
                if found is None:
                    score, detail = rating(rule.code, _by_group(rule.code, given), self.scheme.sources)
                    mine: list[dict] = []
                    finished = self._finish_leaf(item, rule, score, detail, items, mine)
                    found = memo[key] = (finished, items.get(item.code) if finished is not None else None, mine)
                finished, result, mine = found
                if result is not None:
                    items[item.code] = result
                notes.extend(mine)
                return finished
            measure = measured.get(rule.code)
            score, detail = (MEASURED[rule.kind](rule, measure, item.target) if measure
                             else (None, {"problem": "nothing measured"}))
            return self._finish_leaf(item, rule, score, detail, items, notes)

        def node(item):
            if item.group and item.group != unit.group:
                return NOT_APPLICABLE
            kids = self.children.get(item.code)
            if not kids:
                return leaf(item)
            return self._parent(item, [(kid, node(kid)) for kid in kids], items, notes, missing_is_zero=False)

        categories = {}
        parts = []
        for category in self.children.get(None, []):
            score = node(category)
            parts.append((category, score))
            if score is not NOT_APPLICABLE and score is not None:
                categories[category.code] = score
        total = self._mean(parts, notes, None, missing_is_zero=False)
        return UnitResult(unit=unit.name, group=unit.group, total=total if total is not None else ZERO,
                          categories=categories, items=items, notes=tuple(notes),
                          warnings=() if total is not None else (NOTHING_TO_SCORE,))

    # -- weighted without explanation lines: the same steps over the tree laid out once per group ---
    def _score_plain(self, unit: UnitFact, by_rule: dict[str, tuple[tuple, ...]],
                     measures: list[Measure]) -> UnitResult:
        """What ``score_unit`` gives without lines, in the same order, with the per-node overhead taken out.

        A large appraisal scores a tree of a few dozen nodes for each of thousands of subjects: the tree
        is laid out once per group (nodes for other groups dropped) and walked without closures.
        """
        layout = self.layouts.get(unit.group)
        if layout is None:
            layout = self.layouts[unit.group] = self._layout(unit.group)
        items: dict[str, ItemResult] = {}
        notes: list[dict] = []
        categories: dict[str, Decimal] = {}
        total = self._plain_mean(None, layout, by_rule, {m.rule: m for m in measures}, items, notes, categories)
        return UnitResult(unit=unit.name, group=unit.group, total=total if total is not None else ZERO,
                          categories=categories, items=items, notes=tuple(notes),
                          warnings=() if total is not None else (NOTHING_TO_SCORE,))

    def _layout(self, group: str) -> list[tuple]:
        """The tree as seen by subjects of ``group``: (item, its weight, its node) for each category.

        A node is (PARENT, kids laid out alike), (RATED, criterion, memo, rating memo, rule), (MEASURED, rule)
        or (UNRULED,) for a leaf no rule scores.
        """
        return self._laid_out(self.children.get(None, []), group)

    def _laid_out(self, kids: list[ItemSpec], group: str) -> list[tuple]:
        # A method, not a nested function calling itself: that would be a reference cycle holding the plan
        # and its memos until the cyclic collector, paused while scoring, came round to them.
        laid = []
        for item in kids:
            if not _applies(item, group):
                continue
            if self.children.get(item.code):
                node = (_PARENT, self._laid_out(self.children[item.code], group))
            elif (rule := self.rule_of.get(item.code)) is None:
                node = (_UNRULED,)
            elif rule.kind == Kind.RATING:
                # A rating depends on the criterion only through the sources that rate it: criteria rated
                # by the same sources share their ratings' scores; each leaf still finishes on its own.
                raters = tuple(source.code for source in self.scheme.sources if source.rates(rule.code))
                node = (_RATED, rule.code, self.rated.setdefault(rule.code, {}),
                        self.rating_memo.setdefault(raters, {}), rule)
            else:
                node = (_MEASURED, rule)
            laid.append((item, _weight(item), node))
        return laid

    def _plain_mean(self, code: str | None, kids: list[tuple], by_rule: dict, measured: dict, items: dict,
                    notes: list, scores: dict | None = None) -> Decimal | None:
        """``_mean`` over laid-out kids, scoring each on the way; ``scores`` collects the kids' scores."""
        weighted = weights = ZERO
        left_out = []
        for kid, weight, node in kids:
            tag = node[0]
            if tag is _RATED:
                # The tallies (source, group, count, total) are the key, in the order they came: the same
                # tallies in another order only miss the memo, they never share a wrong entry.
                key = by_rule.get(node[1], ())
                found = node[2].get(key)
                if found is None:
                    found = node[2][key] = self._rated(kid, node, key)
                score, result, mine = found
                if result is not None:
                    items[kid.code] = result
                if mine:
                    notes.extend(mine)
            elif tag is _PARENT:
                score = self._plain_mean(kid.code, node[1], by_rule, measured, items, notes)
                if score is None:
                    notes.append({"item": kid.code, "left_out": "nothing to score"})
                else:
                    score = self._held(kid, score)
                    items[kid.code] = _item(ItemResult, (kid.code, ZERO, score, score, (), kid.weight))
            elif tag is _MEASURED:
                rule = node[1]
                measure = measured.get(rule.code)
                found, detail = (MEASURED[rule.kind](rule, measure, kid.target) if measure
                                 else (None, {"problem": "nothing measured"}))
                score = self._finish_leaf(kid, rule, found, detail, items, notes)
            else:
                score = None
            if score is None:
                left_out.append(kid.code)
                continue
            if scores is not None:
                scores[kid.code] = score
            weighted += weight * score
            weights += weight
        if left_out and weights:
            notes.append({"item": code, "renormalised": left_out})
        return self.round(weighted / weights) if weights else None

    def _rated(self, item: ItemSpec, node: tuple, given: tuple[tuple, ...]) -> tuple:
        """A rating leaf finished: (its score, its ItemResult, its notes), to be shared by equal tallies.

        ``_finish_leaf`` without lines, from a rating shared between criteria with its rounding done once:
        a large appraisal finishes tens of thousands of (criterion, tallies) pairs.
        """
        shared = node[3]
        scored = shared.get(given)
        if scored is None:
            scored = shared[given] = self._rating(node[4].code, given)
        score, problem, rounded, renormalised = scored
        if score is None:
            return None, None, ({"item": item.code, "left_out": problem},)
        held = rounded
        if (item.floor is not None and score < item.floor) or (item.cap is not None and score > item.cap):
            held = self.round(self._held(item, score))
        notes = ({"item": item.code, "renormalised": list(renormalised)},) if renormalised is not None else ()
        return held, _item(ItemResult, (item.code, ZERO, rounded, held, (), item.weight)), notes

    def _rating(self, criterion: str, given: tuple[tuple, ...]) -> tuple:
        """(score, what is missing if nothing, the score rounded, the sources renormalised away or None)."""
        score, detail = rating(criterion, _by_group(criterion, given), self.scheme.sources)
        if score is None:
            return None, detail.get("problem", "no ratings"), None, None
        renormalised = [m["source"] for m in detail["missing"]] if detail.get("renormalised") else None
        return score, None, self.round(score), renormalised

    # -- objectives: one shared tree, scored per owner -------------------------------------------
    def score_owners(self, units: list[UnitFact], measures: list[Measure]) -> list[UnitResult]:
        measured = {m.rule: m for m in measures}
        items: dict[str, ItemResult] = {}
        notes: list[dict] = []

        def node(item) -> Decimal:
            kids = self.children.get(item.code)
            if kids:
                return self._parent(item, [(kid, node(kid)) for kid in kids], items, notes, missing_is_zero=True)
            rule = self.rule_of.get(item.code)
            measure = measured.get(rule.code) if rule else None
            if rule is None or measure is None:
                score, detail = ZERO, {"problem": "no progress reported", "target": item.target}
            else:
                score, detail = MEASURED[rule.kind](rule, measure, item.target)
                if score is None:
                    score = ZERO
            return self._finish_leaf(item, rule, score, detail, items, notes)

        for category in self.children.get(None, []):
            node(category)
        by_code = {i.code: i for i in self.scheme.items}
        results = []
        for unit in units:
            owned = [by_code[code] for code in items if by_code[code].owner == unit.name]
            mine = {i.code: items[i.code] for i in owned}
            # A node already counts every owned node under it: the total is over the topmost ones.
            top = [i for i in owned if not self._owned_above(i, unit.name, by_code)]
            total = self._mean([(i, items[i.code].score) for i in top], [], None, missing_is_zero=True)
            results.append(UnitResult(
                unit=unit.name, group=unit.group, total=total if total is not None else ZERO,
                categories={code: item.score for code, item in mine.items()}, items=mine,
                notes=tuple(n for n in notes if n.get("item") in mine),
                warnings=() if owned else ("owns no objective",),
            ))
        return results

    @staticmethod
    def _owned_above(item, owner: str, by_code: dict) -> bool:
        parent = by_code.get(item.parent) if item.parent else None
        while parent is not None:
            if parent.owner == owner:
                return True
            parent = by_code.get(parent.parent) if parent.parent else None
        return False

    # -- shared steps ------------------------------------------------------------------------------
    @staticmethod
    def _held(item: ItemSpec, score: Decimal) -> Decimal:
        """The item's floor and cap, for leaves and parents alike."""
        if item.floor is not None and score < item.floor:
            score = item.floor
        if item.cap is not None and score > item.cap:
            score = item.cap
        return score

    def _finish_leaf(self, item, rule, score, detail, items, notes) -> Decimal | None:
        if score is None:
            notes.append({"item": item.code, "left_out": detail.get("problem", "no ratings")})
            return None
        raw = score
        score = self.round(self._held(item, score))
        if detail.get("renormalised"):
            notes.append({"item": item.code, "renormalised": [m["source"] for m in detail["missing"]]})
        lines = (Line("measure", score, rule.code if rule else None, {"kind": str(rule.kind) if rule else None,
                                                                        **detail}),) if self.with_lines else ()
        items[item.code] = ItemResult(item.code, ZERO, self.round(raw), score, lines, item.weight)
        return score

    def _parent(self, item, parts, items, notes, *, missing_is_zero: bool) -> Decimal | None:
        score = self._mean(parts, notes, item.code, missing_is_zero=missing_is_zero)
        if score is None:
            notes.append({"item": item.code, "left_out": "nothing to score"})
            return None
        score = self._held(item, score)
        lines = ()
        if self.with_lines:
            lines = (Line("weights", score, None, {"children": [
                {"item": kid.code, "weight": kid.weight, "score": s} for kid, s in parts
                if s is not NOT_APPLICABLE]}),)
        items[item.code] = ItemResult(item.code, ZERO, score, score, lines, item.weight)
        return score

    def _mean(self, parts, notes, code, *, missing_is_zero: bool) -> Decimal | None:
        weighted = weights = ZERO
        left_out = []
        for kid, score in parts:
            if score is NOT_APPLICABLE:
                continue
            weight = kid.weight if kid.weight is not None else ONE
            if score is None:
                if not missing_is_zero:
                    left_out.append(kid.code)
                    continue
                score = ZERO
            weighted += weight * score
            weights += weight
        if left_out and weights:
            notes.append({"item": code, "renormalised": left_out})
        return self.round(weighted / weights) if weights else None



_PARENT, _RATED, _MEASURED, _UNRULED = "parent", "rated", "measured", "unruled"
_item = tuple.__new__  # an ItemResult without its generated __new__: a Python call saved per node


def _by_group(criterion: str, given: tuple[tuple, ...]) -> dict[tuple[str, str], RatingTally]:
    """The tallies (source, group, count, total) of one subject on ``criterion``, as rating() reads them."""
    return {(source, group): RatingTally("", criterion, source, group, count, total)
            for source, group, count, total in given}


def _weight(item: ItemSpec) -> Decimal:
    return item.weight if item.weight is not None else ONE


def _applies(item: ItemSpec, group: str) -> bool:
    return not item.group or item.group == group
