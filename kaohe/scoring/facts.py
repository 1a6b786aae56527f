"""What happened: ledger tallies, economic figures, units and the date of the assessment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


@dataclass(frozen=True, order=True)
class AsOf:
    year: int
    month: int = 12

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, not {self.month}")

    @classmethod
    def parse(cls, text: str) -> AsOf:
        try:
            year, month = text.split("-")
            return cls(int(year), int(month))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"expected YYYY-MM, got {text!r}") from exc

    @property
    def year_end(self) -> bool:
        return self.month == 12

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class Row(NamedTuple):
    id: int
    date: str  # ISO date; kept as text so results serialise as they are
    quantity: Decimal
    points: Decimal | None = None
    note: str = ""


class Tally(NamedTuple):
    """Every ledger row of one unit under one rule, summed; ``rows`` when they were loaded.

    A named tuple rather than a dataclass: a large ledger makes a hundred thousand of these.
    """

    unit: str
    rule: str
    count: int
    quantity: Decimal
    points: Decimal = Decimal(0)
    rows: tuple[Row, ...] = ()

    @classmethod
    def of(cls, unit: str, rule: str, rows: tuple[Row, ...]) -> "Tally":  # noqa: UP037 (NamedTuple body)
        return cls(
            unit=unit,
            rule=rule,
            count=len(rows),
            quantity=sum((r.quantity for r in rows), Decimal(0)),
            points=sum((r.points or Decimal(0) for r in rows), Decimal(0)),
            rows=rows,
        )


class TalliesByUnit:
    """Ledger tallies already grouped by unit, each kept as the tuple (rule, count, quantity, points, rows).

    ``by_unit``: unit → its tallies' entries, grouped as the database's rows were read. The engine scores the
    entries as they are (a hundred thousand of them, none of which needs to become a Tally); iterating
    yields every tally as a :class:`Tally`, like a plain list of them.
    """

    __slots__ = ("by_unit",)

    def __init__(self, by_unit: dict[str, list[tuple]]) -> None:
        self.by_unit = by_unit

    def __iter__(self) -> Iterator[Tally]:
        for unit, entries in self.by_unit.items():
            for entry in entries:
                yield Tally(unit, *entry)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self.by_unit.values())


class Figure(NamedTuple):
    """A unit's annual target and cumulative actual for one indicator, as reported for ``month``.

    A named tuple: a scheme of two thousand units reads ten thousand of these.
    """

    unit: str
    indicator: str
    month: AsOf
    target: Decimal
    actual: Decimal


@dataclass(frozen=True)
class UnitFact:
    name: str
    group: str


class RatingTally(NamedTuple):
    """The ratings one subject received on one criterion from one rater group of one source, summed.

    Raters are not named: the engine, and so every result, only ever sees counts and sums.
    """

    unit: str
    rule: str
    source: str
    group: str
    count: int
    total: Decimal


class RatingsByUnit:
    """Rating tallies already grouped by subject and criterion as the database's rows were read.

    ``by_unit``: unit → criterion → its tallies, each kept as the tuple (source, group, count, total): the
    part of a tally a rating is computed from, and so the engine's key for sharing one between subjects.
    Iterating yields every tally as a :class:`RatingTally`, like a plain list of them.
    """

    __slots__ = ("by_unit",)

    def __init__(self, by_unit: dict[str, dict[str, tuple[tuple, ...]]]) -> None:
        self.by_unit = by_unit

    def __iter__(self) -> Iterator[RatingTally]:
        for unit, by_rule in self.by_unit.items():
            for rule, given in by_rule.items():
                for tail in given:
                    yield RatingTally(unit, rule, *tail)

    def __len__(self) -> int:
        return sum(len(given) for by_rule in self.by_unit.values() for given in by_rule.values())


class Measure(NamedTuple):
    """A measured value against its target: a KPI for one subject, or an objective's progress.

    ``unit`` is the subject; objectives leave it empty, since the target tree is shared.
    ``target`` is None when the scheme itself holds the target (objectives) or none is needed (bands).
    """

    unit: str
    rule: str
    actual: Decimal
    target: Decimal | None = None
