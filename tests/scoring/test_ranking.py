"""Ranks per group, shared ranks on ties, tie-breakers, prizes by quota, vetoes out of the ranking."""

from dataclasses import replace
from decimal import Decimal as D

from kaohe.scoring import GroupSpec, UnitFact, score_scheme
from kaohe.scoring.ranking import prize_slots

from .helpers import TOWN, full_figures, rows


def deduct(unit: str, points: int):
    """A total of 100 − points, through 7.a (up to −8) and 12.a (up to −2)."""
    made = []
    if points:
        made.append(rows(unit, "7.a", 1, points=str(-min(points, 8)), note="x"))
    if points > 8:
        made.append(rows(unit, "12.a", 1, points=str(-(points - 8)), note="x"))
    return made


def run(spec, plan: dict[str, int], groups=None, extra=()):
    groups = groups or {}
    units = [UnitFact(name, groups.get(name, "town")) for name in plan]
    tallies = [t for name, points in plan.items() for t in deduct(name, points)] + list(extra)
    figures = [f for name in plan for f in full_figures(name)]
    return score_scheme(spec, units, tallies, figures)


def summary(result):
    return {u.unit: (u.total, u.rank, u.prize) for u in result.units}


def test_prize_slots_follow_the_quotas():
    assert prize_slots((1, 1, 1)) == [1, 2, 3]
    assert prize_slots((1, 2, 0)) == [1, 2, 2]
    assert prize_slots((0, 0, 0)) == []


def test_distinct_totals_take_first_second_third():
    result = run(TOWN, {"甲": 5, "乙": 7, "丙": 10, "丁": 1})
    assert summary(result) == {
        "丁": (D(99), 1, 1), "甲": (D(95), 2, 2), "乙": (D(93), 3, 3), "丙": (D(90), 4, None),
    }


def test_a_tie_shares_the_rank_and_skips_the_next():
    """95, 93, 93, 90 → ranks 1, 2, 2, 4; both tied units take the second prize; no third prize."""
    result = run(TOWN, {"甲": 5, "乙": 7, "丙": 7, "丁": 10})
    assert summary(result) == {
        "甲": (D(95), 1, 1), "乙": (D(93), 2, 2), "丙": (D(93), 2, 2), "丁": (D(90), 4, None),
    }


def test_a_tie_at_the_top_shares_the_first_prize():
    """95, 95, 90, 88 → ranks 1, 1, 3, 4 → prizes 1, 1, 3, none."""
    result = run(TOWN, {"甲": 5, "乙": 5, "丙": 10, "丁": 10}, extra=[rows("丁", "8.1.a", 4)])
    assert summary(result) == {
        "甲": (D(95), 1, 1), "乙": (D(95), 1, 1), "丙": (D(90), 3, 3), "丁": (D(88), 4, None),
    }


def test_tie_breaker_decides_when_configured():
    """Both 98: 甲 lost 2 in category 7, 乙 lost 2 in category 8; breaking on category 8 puts 甲 first."""
    extra = [rows("甲", "7.a", 1, points="-2", note="x"), rows("乙", "8.4.a", 1, points="-2", note="x")]
    plain = run(TOWN, {"甲": 0, "乙": 0}, extra=extra)
    assert {u.unit: u.rank for u in plain.units} == {"甲": 1, "乙": 1}
    broken = run(replace(TOWN, tie_breakers=("category:8",)), {"甲": 0, "乙": 0}, extra=extra)
    assert {u.unit: (u.rank, u.prize) for u in broken.units} == {"甲": (1, 1), "乙": (2, 2)}


def test_a_vetoed_unit_takes_no_rank_and_no_prize():
    accident = rows("甲", "veto.accident", 1)
    result = run(TOWN, {"甲": 0, "乙": 3, "丙": 4}, extra=[accident])
    assert summary(result) == {"甲": (D(100), None, None), "乙": (D(97), 1, 1), "丙": (D(96), 2, 2)}


def test_each_group_is_ranked_on_its_own_and_has_no_prize_until_configured():
    groups = {"甲": "town", "乙": "town", "开发区": "entity", "园区": "entity"}
    result = run(TOWN, {"甲": 4, "乙": 2, "开发区": 1, "园区": 3}, groups)
    assert summary(result) == {
        "乙": (D(98), 1, 1), "甲": (D(96), 2, 2), "开发区": (D(99), 1, None), "园区": (D(97), 2, None),
    }


def test_a_configured_quota_gives_prizes_in_that_group():
    spec = replace(TOWN, groups=(*[g for g in TOWN.groups if g.code != "entity"], GroupSpec("entity", "x", (1, 0, 0))))
    groups = {"开发区": "entity", "园区": "entity"}
    result = run(spec, {"开发区": 1, "园区": 3}, groups)
    assert summary(result) == {"开发区": (D(99), 1, 1), "园区": (D(97), 2, None)}


def test_a_ranked_copy_is_what_dataclasses_replace_would_make():
    from kaohe.scoring.result import UnitResult, with_changes

    unit = UnitResult("a", "town", D(90), {"1": D(90)}, {}, warnings=("w",), notes=({"item": "1"},))
    copied = with_changes(unit, rank=2, prize=1)
    assert copied == replace(unit, rank=2, prize=1)
    assert (unit.rank, unit.prize) == (None, None)  # the original is left as it was
    assert copied.as_dict() == replace(unit, rank=2, prize=1).as_dict()
