"""Weighted schemes by hand: ratings by source and rater group, renormalisation, KPI formulas, rounding."""

from decimal import Decimal as D

from kaohe.scoring import (
    Band,
    ItemSpec,
    Kind,
    Measure,
    Method,
    RaterGroupSpec,
    RatingTally,
    RuleSpec,
    SchemeSpec,
    SourceSpec,
    UnitFact,
    score_scheme,
)

PEOPLE = [UnitFact("amy", "dept")]
S360 = SourceSpec("r360", "360", D(1), (RaterGroupSpec("superior", "", D(50), 1), RaterGroupSpec("peer", "", D(30), 3),
                                        RaterGroupSpec("sub", "", D(20), 2)))


def rating_scheme(*sources, items=None, rules=None) -> SchemeSpec:
    return SchemeSpec(
        code="t", year=2026, method=Method.WEIGHTED, sources=tuple(sources),
        items=items or (ItemSpec("1", "dimension", D(0), weight=D(100)),
                        ItemSpec("1.1", "c", D(0), "1", weight=D(100))),
        rules=rules or (RuleSpec("c", Kind.RATING, "1.1"),),
    )


def given(unit, rule, source, group, *values) -> RatingTally:
    return RatingTally(unit, rule, source, group, len(values), sum((D(v) for v in values), D(0)))


def test_rater_groups_weighted_and_a_group_below_its_minimum_left_out():
    ratings = [given("amy", "c", "r360", "superior", 90), given("amy", "c", "r360", "peer", 70, 80, 90),
               given("amy", "c", "r360", "sub", 60)]
    amy = score_scheme(rating_scheme(S360), PEOPLE, (), ratings=ratings).unit("amy")
    # (50 × 90 + 30 × 80) / (50 + 30) = 6900 / 80; the one subordinate is below the minimum of 2
    assert amy.items["1.1"].score == D("86.25")
    assert amy.total == D("86.25")
    detail = amy.items["1.1"].lines[0].detail
    assert detail["sources"][0]["short"] == [{"group": "sub", "raters": 1, "minimum": 2}]


def test_a_missing_source_renormalises_the_others_and_says_so():
    sources = (SourceSpec("quarterly", "", D(30)), SourceSpec("survey", "", D(20)), SourceSpec("spot", "", D(10)))
    ratings = [given("amy", "c", "quarterly", "all", 60, 80), given("amy", "c", "survey", "all", 95)]
    amy = score_scheme(rating_scheme(*sources), PEOPLE, (), ratings=ratings).unit("amy")
    # (30 × 70 + 20 × 95) / (30 + 20) = 4000 / 50, not (2100 + 1900 + 0) / 60
    assert amy.items["1.1"].score == D("80.00")
    assert {"item": "1.1", "renormalised": ["spot"]} in amy.notes


def test_a_source_that_does_not_rate_a_criterion_is_not_missing():
    sources = (SourceSpec("quarterly", "", D(30)), SourceSpec("survey", "", D(20), criteria=("other",)))
    ratings = [given("amy", "c", "quarterly", "all", 70)]
    amy = score_scheme(rating_scheme(*sources), PEOPLE, (), ratings=ratings).unit("amy")
    assert amy.items["1.1"].score == D("70.00")
    assert amy.notes == ()


def test_means_are_rounded_once_per_node_and_parents_use_the_rounded_scores():
    items = (ItemSpec("1", "a", D(0), weight=D(60)), ItemSpec("2", "b", D(0), weight=D(40)))
    rules = (RuleSpec("a", Kind.RATING, "1"), RuleSpec("b", Kind.RATING, "2"))
    ratings = [given("amy", "a", "q", "all", 80, 80, 90), given("amy", "b", "q", "all", 90, 91)]
    amy = score_scheme(rating_scheme(SourceSpec("q", "", D(1)), items=items, rules=rules), PEOPLE, (),
                       ratings=ratings).unit("amy")
    assert amy.items["1"].score == D("83.33")  # 250 / 3
    assert amy.items["2"].score == D("90.50")
    assert amy.total == D("86.20")  # (60 × 83.33 + 40 × 90.50) / 100 = 86.198


def test_a_criterion_nobody_rated_is_left_out_of_its_parent():
    items = (ItemSpec("1", "a", D(0), weight=D(60)), ItemSpec("2", "b", D(0), weight=D(40)))
    rules = (RuleSpec("a", Kind.RATING, "1"), RuleSpec("b", Kind.RATING, "2"))
    amy = score_scheme(rating_scheme(SourceSpec("q", "", D(1)), items=items, rules=rules), PEOPLE, (),
                       ratings=[given("amy", "b", "q", "all", 75)]).unit("amy")
    assert amy.total == D("75.00")
    assert "1" not in amy.items
    assert {"item": None, "renormalised": ["1"]} in amy.notes


def test_nothing_rated_at_all_is_a_warning_not_a_zero_in_disguise():
    amy = score_scheme(rating_scheme(S360), PEOPLE, ()).unit("amy")
    assert amy.total == D(0)
    assert amy.warnings == ("nothing to score",)
    assert amy.rank is None and amy.grade is None  # unranked, not last with a zero


def kpi_scheme() -> SchemeSpec:
    items = (
        ItemSpec("1", "sales", D(0), weight=D(100), group="sales"),
        ItemSpec("1.1", "amount", D(0), "1", weight=D(40)),
        ItemSpec("1.2", "satisfaction", D(0), "1", weight=D(20)),
        ItemSpec("1.3", "share", D(0), "1", weight=D(20)),
        ItemSpec("1.4", "cost", D(0), "1", weight=D(20)),
        ItemSpec("2", "production", D(0), weight=D(100), group="production"),
        ItemSpec("2.1", "pass rate", D(0), "2", weight=D(100)),
    )
    rules = (
        RuleSpec("amount", Kind.CAPPED, "1.1", max_points=D(120)),
        RuleSpec("satisfaction", Kind.BANDED, "1.2",
                 bands=(Band(D(95), D(100)), Band(D(90), D(90)), Band(D(80), D(70)))),
        RuleSpec("share", Kind.RATIO, "1.3"),
        RuleSpec("cost", Kind.LOWER_BETTER, "1.4", max_points=D(120)),
        RuleSpec("pass", Kind.RATIO, "2.1"),
    )
    return SchemeSpec(code="kpi", year=2026, method=Method.WEIGHTED, items=items, rules=rules)


def test_department_kpis_each_formula_by_hand():
    measures = [Measure("sales1", "amount", D(1250), D(1000)), Measure("sales1", "satisfaction", D("92.5")),
                Measure("sales1", "share", D(15), D(20)), Measure("sales1", "cost", D("0.9"), D("0.8"))]
    unit = score_scheme(kpi_scheme(), [UnitFact("sales1", "sales")], (), measures=measures).unit("sales1")
    assert unit.items["1.1"].score == D("120.00")  # 125 %, capped at 120
    assert unit.items["1.1"].raw == D("120.00")
    assert unit.items["1.2"].score == D("90")  # 92.5 reaches the 90 band
    assert unit.items["1.3"].score == D("75.00")  # 15 / 20
    assert unit.items["1.4"].score == D("88.89")  # 0.8 / 0.9, lower is better
    # (40 × 120 + 20 × 90 + 20 × 75 + 20 × 88.89) / 100 = 98.778; production does not apply to sales
    assert unit.total == D("98.78")
    assert unit.categories == {"1": D("98.78")}


def test_lower_better_at_zero_use_takes_the_cap_and_a_missing_target_leaves_the_item_out():
    measures = [Measure("s", "amount", D(100), D(100)), Measure("s", "cost", D(0), D("0.8")),
                Measure("s", "share", D(5), None)]
    unit = score_scheme(kpi_scheme(), [UnitFact("s", "sales")], (), measures=measures).unit("s")
    assert unit.items["1.4"].score == D("120")
    assert "1.3" not in unit.items
    assert {"item": "1.3", "left_out": "no positive target"} in unit.notes
    # (40 × 100 + 20 × 120) / 60: satisfaction (no measure) and share (no target) left out
    assert unit.total == D("106.67")


def test_a_group_specific_category_is_not_renormalised_away_for_other_groups():
    unit = score_scheme(kpi_scheme(), [UnitFact("p", "production")], (),
                        measures=[Measure("p", "pass", D("99"), D("100"))]).unit("p")
    assert unit.total == D("99.00")
    assert unit.notes == ()
