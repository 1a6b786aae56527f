"""Ranks within each group (ties share a rank, the next is skipped) and prizes by quota."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .result import UnitResult, with_changes
from .spec import SchemeSpec


def tie_key(unit: UnitResult, breakers: tuple[str, ...]) -> tuple[Decimal, ...]:
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
        places = rank_keys(
            [(u.unit, tie_key(u, scheme.tie_breakers), not u.vetoed and not u.unscored) for u in members],
            group_slots(scheme, group_code),
        )
        for unit in members:
            rank, prize = places[unit.unit]
            ranked[unit.unit] = with_changes(unit, rank=rank, prize=prize)
    return [ranked[u.unit] for u in units]


def group_slots(scheme: SchemeSpec, group_code: str) -> list[int]:
    group = scheme.group(group_code)
    return prize_slots(group.prizes) if group else []


def rank_keys(members: list[tuple[str, tuple, bool]], slots: list[int]) -> dict[str, tuple[int | None, int | None]]:
    """(unit, tie key, eligible) of one group → unit: (rank, prize); ties share a rank, the next is skipped.

    The one ranking rule, whether the keys come from freshly scored units or from stored standings.
    """
    eligible = [(name, key) for name, key, ok in members if ok]
    eligible.sort(key=_name)  # a stable, readable order inside a tie
    eligible.sort(key=_key, reverse=True)
    places: dict[str, tuple[int | None, int | None]] = {}
    previous_key, rank = None, 0
    for position, (name, key) in enumerate(eligible, start=1):
        if key != previous_key:
            rank, previous_key = position, key
        places[name] = (rank, slots[rank - 1] if rank <= len(slots) else None)
    for name, _tie, _ok in members:
        places.setdefault(name, (None, None))
    return places


def _name(entry: tuple) -> str:
    return entry[0]


def _key(entry: tuple) -> tuple:
    return entry[1]
