"""What a rule of each kind must say to be scoreable; shared by the admin and the scheme loader."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kaohe.scoring.spec import Kind

NEEDS_AMOUNT = {Kind.ONE_OFF, Kind.PER_OCCURRENCE}
NEEDS_RANGE = {Kind.DISCRETIONARY}
NEEDS_BANDS = {Kind.TIERED, Kind.COUNT_THRESHOLD, Kind.BANDED}
NEEDS_MAX = {Kind.CAPPED}
NO_ITEM = {Kind.VETO, Kind.ECONOMIC_VETO}


def rule_problems(rule) -> dict[str, str]:
    """Field → message for every way ``rule`` cannot be scored; empty when it is fine."""
    problems: dict[str, str] = {}
    try:
        kind = Kind(rule.kind)
    except ValueError:
        return {"kind": f"unknown kind {rule.kind!r}"}
    has_item = getattr(rule, "indicator_id", None) is not None or getattr(rule, "indicator", None) is not None
    if kind in NO_ITEM and has_item:
        problems["indicator"] = "a veto rule belongs to no item"
    if kind not in NO_ITEM and not has_item:
        problems["indicator"] = "this kind of rule needs an item"
    if kind in NEEDS_AMOUNT and rule.amount is None:
        problems["amount"] = "this kind needs an amount per occurrence"
    if kind in NEEDS_RANGE:
        if rule.min_points is None or rule.max_points is None:
            problems["min_points"] = "a discretionary rule needs a minimum and a maximum"
        elif rule.min_points > rule.max_points:
            problems["max_points"] = "the maximum is below the minimum"
    if kind in NEEDS_MAX and rule.max_points is None:
        problems["max_points"] = "a capped rule needs its maximum (e.g. 120)"
    if kind in NEEDS_BANDS:
        problem = band_problem(rule.bands)
        if problem:
            problems["bands"] = problem
    return problems


def band_problem(bands) -> str | None:
    if not isinstance(bands, list) or not bands:
        return 'give at least one band: [{"limit": "5", "points": "-2"}]'
    limits = []
    for band in bands:
        if not isinstance(band, dict) or set(band) != {"limit", "points"}:
            return 'each band is {"limit": …, "points": …}'
        try:
            limits.append(Decimal(str(band["limit"])))
            Decimal(str(band["points"]))
        except InvalidOperation:
            return "band limits and points must be numbers"
    if len(set(limits)) != len(limits):
        return "two bands share a limit"
    return None


def weight_shortfalls(items) -> tuple[list[list[str]], list[tuple]]:
    """(code, parent, weight, group) of a weighted scheme's items → the families with an unweighted
    item, and each (parent, group, total, [(code, weight)]) whose weights do not add to 100.

    Siblings that apply to one group only (department KPIs) are checked per group, together with
    the siblings that apply to every group.
    """
    families: dict[str | None, list[tuple[str, Decimal | None, str | None]]] = {}
    for code, parent, weight, group in items:
        families.setdefault(parent, []).append((code, weight, group))
    unweighted, shortfalls = [], []
    for parent, kids in families.items():
        missing = [code for code, weight, _group in kids if weight is None]
        if missing:
            unweighted.append(missing)
            continue
        for group in sorted({group for _c, _w, group in kids if group}) or [None]:
            family = [(code, weight) for code, weight, g in kids if g is None or g == group]
            total = sum((weight for _code, weight in family), Decimal(0))
            if total != 100:
                shortfalls.append((parent, group, total, family))
    return unweighted, shortfalls


def weight_problems(items: list[tuple[str, str | None, Decimal | None, str | None]]) -> list[str]:
    """Each family of ``items`` whose weights miss 100, said in one line (see :func:`weight_shortfalls`)."""
    unweighted, shortfalls = weight_shortfalls(items)
    problems = [f"items {', '.join(missing)} have no weight" for missing in unweighted]
    for parent, group, total, family in shortfalls:
        under = f"under {parent}" if parent else "at the top level"
        if group:
            under += f" for group {group}"
        listed = " + ".join(f"{code}: {weight}" for code, weight in family)
        problems.append(f"the weights {under} add to {total}, not 100 ({listed})")
    return problems
