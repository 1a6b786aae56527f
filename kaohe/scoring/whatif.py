"""What-if: the same facts with a few changes applied, scored again and set beside the real result.

A scenario names what it changes the way people read it: a ledger row by its number, an economic figure by
its unit and indicator, a sheet amount (a discretionary rule's net points for a unit) by unit and rule code.
Nothing here reads or writes a database; the caller hands over the facts and keeps them unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .economy import latest_figures
from .engine import score_scheme
from .facts import AsOf, Figure, Row, Tally, UnitFact
from .result import SchemeResult, UnitResult
from .spec import SchemeSpec

ZERO = Decimal(0)


@dataclass(frozen=True)
class RowChange:
    """A ledger row left out, or read with another quantity or points."""

    row: int
    exclude: bool = False
    quantity: Decimal | None = None
    points: Decimal | None = None


@dataclass(frozen=True)
class FigureChange:
    """The economic figure a unit's indicator is scored on, with another actual or target."""

    unit: str
    indicator: str
    actual: Decimal | None = None
    target: Decimal | None = None


@dataclass(frozen=True)
class AmountChange:
    """A discretionary rule's amount for a unit, as a section's sheet states it (the net of its rows)."""

    unit: str
    rule: str
    points: Decimal


@dataclass(frozen=True)
class Scenario:
    rows: tuple[RowChange, ...] = ()
    figures: tuple[FigureChange, ...] = ()
    amounts: tuple[AmountChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.rows or self.figures or self.amounts)


class UnknownTarget(KeyError):
    """A change names a row, unit, indicator or rule the facts do not hold."""

    def __init__(self, kind: str, key: str) -> None:
        self.kind, self.key = kind, key
        super().__init__(f"{kind} {key}")


def row_index(tallies: Iterable[Tally]) -> dict[int, tuple[Tally, Row]]:
    """Every loaded ledger row by its number, with the tally it belongs to."""
    return {row.id: (tally, row) for tally in tallies for row in tally.rows}


def apply_scenario(tallies: list[Tally], figures: list[Figure], scenario: Scenario,
                   as_of: AsOf) -> tuple[list[Tally], list[Figure]]:
    """New lists of tallies and figures with the scenario's changes; the inputs are not touched.

    A row change moves its tally's sums by the difference between the new and the old row, so rules that read
    sums and rules that read single rows both see it. A sheet amount then sets the tally's net points.
    """
    tallies = _with_rows(tallies, scenario.rows)
    tallies = _with_amounts(tallies, scenario.amounts)
    return tallies, _with_figures(figures, scenario.figures, as_of)


def _with_rows(tallies: list[Tally], changes: tuple[RowChange, ...]) -> list[Tally]:
    if not changes:
        return tallies
    index = row_index(tallies)
    by_tally: dict[tuple[str, str], dict[int, RowChange]] = {}
    for change in changes:
        found = index.get(change.row)
        if found is None:
            raise UnknownTarget("row", str(change.row))
        tally = found[0]
        by_tally.setdefault((tally.unit, tally.rule), {})[change.row] = change
    changed = []
    for tally in tallies:
        wanted = by_tally.get((tally.unit, tally.rule))
        changed.append(_changed_tally(tally, wanted) if wanted else tally)
    return changed


def _changed_tally(tally: Tally, changes: dict[int, RowChange]) -> Tally:
    count, quantity, points = tally.count, tally.quantity, tally.points
    rows = []
    for row in tally.rows:
        change = changes.get(row.id)
        if change is None:
            rows.append(row)
            continue
        count -= 1
        quantity -= row.quantity
        points -= row.points or ZERO
        if change.exclude:
            continue
        new = row._replace(quantity=row.quantity if change.quantity is None else change.quantity,
                           points=row.points if change.points is None else change.points)
        count += 1
        quantity += new.quantity
        points += new.points or ZERO
        rows.append(new)
    return Tally(tally.unit, tally.rule, count, quantity, points, tuple(rows))


def _with_amounts(tallies: list[Tally], changes: tuple[AmountChange, ...]) -> list[Tally]:
    if not changes:
        return tallies
    wanted = {(c.unit, c.rule): c.points for c in changes}
    changed = []
    for tally in tallies:
        points = wanted.pop((tally.unit, tally.rule), None)
        changed.append(tally if points is None else tally._replace(points=points))
    # No row yet for this unit and rule: the sheet's amount is one new occurrence.
    changed.extend(Tally(unit, rule, 1, Decimal(1), points) for (unit, rule), points in wanted.items())
    return changed


def _with_figures(figures: list[Figure], changes: tuple[FigureChange, ...], as_of: AsOf) -> list[Figure]:
    """A change replaces the figure the engine would score on (the latest up to ``as_of``), or adds one."""
    if not changes:
        return figures
    by_unit: dict[str, list[Figure]] = {}
    for fig in figures:
        by_unit.setdefault(fig.unit, []).append(fig)
    replaced: dict[int, Figure] = {}
    added = []
    for change in changes:
        current = latest_figures(by_unit.get(change.unit, []), as_of).get(change.indicator)
        if current is None:
            if change.actual is None or change.target is None:
                raise UnknownTarget("figure", f"{change.unit} {change.indicator}")
            added.append(Figure(change.unit, change.indicator, as_of, change.target, change.actual))
            continue
        base = replaced.get(id(current), current)
        replaced[id(current)] = base._replace(actual=base.actual if change.actual is None else change.actual,
                                              target=base.target if change.target is None else change.target)
    return [replaced.get(id(fig), fig) for fig in figures] + added


@dataclass(frozen=True)
class Move:
    """One unit, really and in the scenario."""

    real: UnitResult
    scenario: UnitResult

    @property
    def unit(self) -> str:
        return self.real.unit

    @property
    def group(self) -> str:
        return self.real.group

    @property
    def direction(self) -> str:
        """"up", "down" or "" as the rank moves; gaining or losing a rank at all counts as a move too."""
        before, after = self.real.rank, self.scenario.rank
        if before == after:
            return ""
        if before is None:
            return "up"
        if after is None:
            return "down"
        return "up" if after < before else "down"

    @property
    def total_change(self) -> Decimal:
        return self.scenario.total - self.real.total

    @property
    def prize_changed(self) -> bool:
        return self.real.prize != self.scenario.prize

    @property
    def veto_changed(self) -> bool:
        return self.real.vetoed != self.scenario.vetoed

    @property
    def changed(self) -> bool:
        return bool(self.direction or self.total_change or self.prize_changed or self.veto_changed)

    def as_dict(self) -> dict[str, Any]:
        def side(u: UnitResult) -> dict[str, Any]:
            return {"rank": u.rank, "total": u.total, "vetoed": u.vetoed, "prize": u.prize}

        return {"unit": self.unit, "group": self.group, "real": side(self.real), "scenario": side(self.scenario),
                "move": self.direction, "total_change": self.total_change,
                "prize_changed": self.prize_changed, "veto_changed": self.veto_changed}


@dataclass(frozen=True)
class Comparison:
    real: SchemeResult
    scenario: SchemeResult
    moves: tuple[Move, ...]


def compare(real: SchemeResult, scenario: SchemeResult) -> Comparison:
    """Unit by unit, ordered as the scenario ranks them: by group, rank (unranked last), then name."""
    scenario_of = {u.unit: u for u in scenario.units}
    moves = [Move(u, scenario_of[u.unit]) for u in real.units]
    moves.sort(key=lambda m: (m.group, m.scenario.rank is None, m.scenario.rank or 0, m.unit))
    return Comparison(real, scenario, tuple(moves))


def what_if(scheme: SchemeSpec, units: list[UnitFact], tallies: list[Tally], figures: list[Figure], as_of: AsOf,
            scenario: Scenario, real: SchemeResult | None = None) -> Comparison:
    """Score the facts with ``scenario`` applied and set the result beside ``real`` (scored here if not given)."""
    if real is None:
        real = score_scheme(scheme, units, tallies, figures, as_of, with_lines=False)
    changed_tallies, changed_figures = apply_scenario(tallies, figures, scenario, as_of)
    result = score_scheme(scheme, units, changed_tallies, changed_figures, as_of, with_lines=False)
    return compare(real, result)
