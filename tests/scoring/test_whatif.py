"""The what-if on plain facts: each kind of change, worked out by hand on the town scheme, the inputs untouched."""

from decimal import Decimal as D

import pytest

from kaohe.scoring import AsOf, Row, Tally, score_scheme
from kaohe.scoring.whatif import (
    AmountChange,
    FigureChange,
    RowChange,
    Scenario,
    UnknownTarget,
    apply_scenario,
    what_if,
)

from .helpers import TOWN, full_figures, town_units

YEAR_END = AsOf(2026, 12)


def tally(unit, rule, *rows):
    return Tally.of(unit, rule, tuple(Row(pk, "2026-05-01", D(q), None if p is None else D(p)) for pk, q, p in rows))


@pytest.fixture
def facts():
    """甲 loses 1 (8.1.a: rows 1 and 2, −0.5 each); 乙 loses 1.5 (8.1.a ×1, row 3; 5.b at 50 %, row 4: −2 × 0.5
    = −1); 丙 loses 3 (7.a discretionary −3, row 5); 丁 is clean but had an accident (veto.accident, row 6)."""
    units = town_units("甲", "乙", "丙", "丁")
    tallies = [
        tally("甲", "8.1.a", (1, "1", None), (2, "1", None)),
        tally("乙", "8.1.a", (3, "1", None)),
        tally("乙", "5.b", (4, "0.5", None)),
        tally("丙", "7.a", (5, "1", "-3")),
        tally("丁", "veto.accident", (6, "1", None)),
    ]
    figures = [f for unit in units for f in full_figures(unit.name)]
    return units, tallies, figures


def run(facts, scenario):
    units, tallies, figures = facts
    return {m.unit: m for m in what_if(TOWN, units, tallies, figures, YEAR_END, scenario).moves}


def test_the_real_side_is_the_plain_score(facts):
    units, tallies, figures = facts
    real = {u.unit: (u.total, u.rank, u.prize, u.vetoed)
            for u in score_scheme(TOWN, units, tallies, figures, YEAR_END).units}
    moves = run(facts, Scenario())
    assert {name: (m.real.total, m.real.rank, m.real.prize, m.real.vetoed) for name, m in moves.items()} == real
    assert real["甲"][0] == D(99) and real["乙"][0] == D("98.5") and real["丙"][0] == D(97)
    assert (real["甲"][1], real["乙"][1], real["丙"][1], real["丁"][1]) == (1, 2, 3, None)  # 丁 vetoed


def test_leaving_out_a_row_gives_its_points_back(facts):
    moves = run(facts, Scenario(rows=(RowChange(5, exclude=True),)))  # 丙's −3
    assert moves["丙"].scenario.total == D(100) and moves["丙"].total_change == D(3)
    assert (moves["丙"].scenario.rank, moves["丙"].scenario.prize, moves["丙"].direction) == (1, 1, "up")
    assert (moves["甲"].scenario.rank, moves["乙"].scenario.rank) == (2, 3)
    assert moves["甲"].direction == moves["乙"].direction == "down"


def test_a_changed_quantity_reaches_rules_that_read_sums_and_rules_that_read_rows(facts):
    # 8.1.a reads the sum (3 occurrences: −1.5); 5.b reads its latest row (ratio 1: no deduction)
    moves = run(facts, Scenario(rows=(RowChange(3, quantity=D(3)), RowChange(4, quantity=D(1)))))
    assert moves["乙"].scenario.total == D(100) - D("1.5")
    assert moves["甲"].scenario.total == D(99)


def test_removing_the_accident_lifts_the_veto(facts):
    moves = run(facts, Scenario(rows=(RowChange(6, exclude=True),)))
    assert moves["丁"].real.vetoed and not moves["丁"].scenario.vetoed and moves["丁"].veto_changed
    assert (moves["丁"].scenario.rank, moves["丁"].scenario.prize, moves["丁"].direction) == (1, 1, "up")
    assert moves["丙"].scenario.prize is None and moves["丙"].prize_changed  # pushed out of the three prizes


def test_an_economic_figure_below_target_vetoes_and_costs_its_share(facts):
    # output at 900 of 1000: 1.6 × 0.9 = 1.44 of its 1.6, and output is in the veto set
    moves = run(facts, Scenario(figures=(FigureChange("甲", "output", actual=D(900)),)))
    assert moves["甲"].scenario.total == D(99) - D("0.16")
    assert moves["甲"].scenario.vetoed and moves["甲"].scenario.rank is None
    assert (moves["乙"].scenario.rank, moves["乙"].scenario.prize) == (1, 1)


def test_a_sheet_amount_replaces_the_net_points_or_adds_the_first(facts):
    moves = run(facts, Scenario(amounts=(AmountChange("丙", "7.a", D(-1)), AmountChange("甲", "7.a", D(-2)))))
    assert moves["丙"].scenario.total == D(99)  # −1 instead of −3
    assert moves["甲"].scenario.total == D(97)  # 8.1.a's −1 and a new −2


def test_the_facts_given_are_not_changed(facts):
    _units, tallies, figures = facts
    before = (list(tallies), list(figures))
    changed, changed_figures = apply_scenario(
        tallies, figures, Scenario(rows=(RowChange(1, exclude=True),),
                                   figures=(FigureChange("乙", "profit", target=D(5000)),)), YEAR_END)
    assert (tallies, figures) == before
    assert changed[0].count == 1 and changed[0].quantity == D(1) and [r.id for r in changed[0].rows] == [2]
    assert [f.target for f in changed_figures if f.unit == "乙" and f.indicator == "profit"] == [D(5000)]


def test_an_unknown_row_or_figure_is_named(facts):
    with pytest.raises(UnknownTarget) as missing:
        run(facts, Scenario(rows=(RowChange(99, exclude=True),)))
    assert (missing.value.kind, missing.value.key) == ("row", "99")
    with pytest.raises(UnknownTarget):
        run(facts, Scenario(figures=(FigureChange("戊", "output", actual=D(1)),)))
