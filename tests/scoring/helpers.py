"""Small hand-built facts for engine tests."""

from decimal import Decimal as D

from kaohe.scoring import AsOf, Figure, Row, Tally, UnitFact
from kaohe.services.seed import spec_from_file

TOWN = spec_from_file("town", 2026)
ECONOMY = ("output", "revenue", "value_added", "profit", "investment")


def rows(unit: str, rule: str, *quantities, points=None, date="2026-06-30", note="") -> Tally:
    made = tuple(
        Row(id=n, date=date, quantity=D(str(q)), points=None if points is None else D(str(points)), note=note)
        for n, q in enumerate(quantities, start=1)
    )
    return Tally.of(unit, rule, made)


def full_figures(unit: str, month: int = 12, ratio: str = "1", **overrides) -> list[Figure]:
    """Every indicator with target 1000 and actual 1000 × ratio × month/12, unless overridden."""
    made = []
    for code in ECONOMY:
        actual = overrides.get(code, D(1000) * D(ratio) * D(month) / D(12))
        made.append(Figure(unit, code, AsOf(2026, month), D(1000), D(str(actual))))
    return made


def town_units(*names: str, group: str = "town") -> list[UnitFact]:
    return [UnitFact(n, group) for n in names]
