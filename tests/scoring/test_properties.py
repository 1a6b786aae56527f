"""Properties that hold for any ledger: totals add up, floors hold, results are deterministic."""

import random
from collections import Counter
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.scoring import AsOf, Figure, Kind, Row, TalliesByUnit, Tally, UnitFact, score_scheme

from .helpers import ECONOMY, TOWN

ENTERED = [r for r in TOWN.rules if r.kind not in (Kind.ECONOMIC, Kind.ECONOMIC_VETO)]
UNITS = ["甲", "乙", "丙", "丁"]


@st.composite
def row_for(draw, rule):
    proportional = rule.kind == Kind.PROPORTIONAL
    quantity = D(draw(st.integers(0, 1000))) / 1000 if proportional else D(draw(st.integers(0, 12)))
    points = None
    if rule.kind == Kind.DISCRETIONARY:
        points = D(draw(st.integers(int(rule.min_points * 2), int(rule.max_points * 2)))) / 2
    return quantity, points


@st.composite
def ledgers(draw):
    tallies = []
    for unit in UNITS:
        for rule in draw(st.lists(st.sampled_from(ENTERED), max_size=12, unique_by=lambda r: r.code)):
            made = tuple(Row(n, f"2026-{n:02d}-01", *draw(row_for(rule)))
                         for n in range(1, draw(st.integers(1, 3)) + 1))
            tallies.append(Tally.of(unit, rule.code, made))
    figures = [
        Figure(unit, code, AsOf(2026, 12), D(draw(st.integers(0, 2000))), D(draw(st.integers(-100, 3000))))
        for unit in UNITS for code in ECONOMY
    ]
    return tallies, figures


@settings(max_examples=60, deadline=None)
@given(ledgers(), st.integers(1, 12))
def test_totals_add_up_and_floors_hold(ledger, month):
    tallies, figures = ledger
    result = score_scheme(TOWN, [UnitFact(u, "town") for u in UNITS], tallies, figures, AsOf(2026, month))
    floors = {i.code: i.floor for i in TOWN.items}
    for unit in result.units:
        assert unit.total == sum(unit.categories.values())
        for code, item in unit.items.items():
            if floors[code] is not None:
                assert item.score >= floors[code]
            assert item.score == item.raw + sum(ln.effect for ln in item.lines if ln.source in {"floor", "cap"})
        assert unit.categories["8"] == sum(unit.items[c].score for c in ("8.1", "8.2", "8.3", "8.4", "8.5"))
        assert (unit.rank is None) == unit.vetoed


@settings(max_examples=30, deadline=None)
@given(ledgers(), st.randoms(use_true_random=False))
def test_the_order_of_the_facts_does_not_matter(ledger, rnd: random.Random):
    tallies, figures = ledger
    units = [UnitFact(u, "town") for u in UNITS]
    first = score_scheme(TOWN, units, tallies, figures)
    shuffled = list(tallies)
    rnd.shuffle(shuffled)
    second = score_scheme(TOWN, list(reversed(units)), shuffled, list(reversed(figures)))
    assert {u.unit: u.as_dict() for u in first.units} == {u.unit: u.as_dict() for u in second.units}


@settings(max_examples=30, deadline=None)
@given(ledgers(), st.integers(1, 12), st.booleans())
def test_tallies_handed_over_grouped_score_as_a_plain_list_of_them(ledger, month, with_lines):
    tallies, figures = ledger
    grouped: dict = {}
    for tally in tallies:
        grouped.setdefault(tally.unit, []).append(tuple(tally)[1:])
    by_unit = TalliesByUnit(grouped)
    assert Counter(by_unit) == Counter(tallies) and len(by_unit) == len(tallies)
    units = [UnitFact(u, "town") for u in UNITS]
    as_of = AsOf(2026, month)
    assert (score_scheme(TOWN, units, by_unit, figures, as_of, with_lines=with_lines)
            == score_scheme(TOWN, units, tallies, figures, as_of, with_lines=with_lines))
