"""Ranks within each group (ties share a rank, the next is skipped) and prizes by quota."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from .result import UnitResult
from .spec import SchemeSpec


def _tie_key(unit: UnitResult, breakers: tuple[str, ...]) -> tuple[Decimal, ...]:
    keys = [unit.total]
    for breaker in breakers:
        kind, _, code = breaker.partition(":")
        if kind == "category":
            keys.append(unit.categories.get(code, Decimal(0)))
        elif kind == "item":
            item = unit.items.get(code)
            keys.append(item.score if item else Decimal(0))
        else:
            raise ValueError(f"unknown tie-breaker {breaker!r}")
    return tuple(keys)


def prize_slots(quotas: tuple[int, ...]) -> list[int]:
    """(1, 1, 1) → [1, 2, 3]; (1, 2) → [1, 2, 2]: the prize a rank position earns."""
    return [level for level, count in enumerate(quotas, start=1) for _ in range(count)]


def rank_units(scheme: SchemeSpec, units: list[UnitResult]) -> list[UnitResult]:
    by_group: dict[str, list[UnitResult]] = defaultdict(list)
    for unit in units:
        by_group[unit.group].append(unit)

    ranked: dict[str, UnitResult] = {}
    for group_code, members in by_group.items():
        group = scheme.group(group_code)
        slots = prize_slots(group.prizes) if group else []
        eligible = [u for u in members if not u.vetoed and not u.unscored]
        eligible.sort(key=lambda u: u.unit)  # a stable, readable order inside a tie
        eligible.sort(key=lambda u: _tie_key(u, scheme.tie_breakers), reverse=True)
        previous_key, rank = None, 0
        for position, unit in enumerate(eligible, start=1):
            key = _tie_key(unit, scheme.tie_breakers)
            if key != previous_key:
                rank, previous_key = position, key
            prize = slots[rank - 1] if rank <= len(slots) else None
            ranked[unit.unit] = replace(unit, rank=rank, prize=prize)
        for unit in members:
            ranked.setdefault(unit.unit, replace(unit, rank=None, prize=None))
    return [ranked[u.unit] for u in units]
