"""Scoring without explanation lines takes its own, faster walk of the tree and shares finished leaves between
subjects with the same tallies: it must give what scoring with lines gives, lines aside, subject by subject."""

import random
from dataclasses import replace
from decimal import Decimal as D

from kaohe.scoring import (
    GradeSpec,
    GroupSpec,
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

S360 = SourceSpec("r360", "360", D(60), (RaterGroupSpec("superior", "", D(50), 1), RaterGroupSpec("peer", "", D(30), 3),
                                         RaterGroupSpec("sub", "", D(20), 2)))
SURVEY = SourceSpec("survey", "", D(40), criteria=("c1", "c3"))  # rates only some criteria
GRADES = (GradeSpec("A", "", D(85), D("0.5")), GradeSpec("B", "", D(70)), GradeSpec("C", "", D(0)))


def scheme() -> SchemeSpec:
    items = (
        ItemSpec("1", "work", D(0), weight=D(60)),
        ItemSpec("1.1", "c1", D(0), "1", weight=D(50)),
        ItemSpec("1.2", "c2", D(0), "1", weight=D(30), cap=D(80)),
        ItemSpec("1.3", "c3", D(0), "1", weight=D(20), floor=D(40)),
        ItemSpec("1.4", "unruled", D(0), "1", weight=D(10)),
        ItemSpec("1.5", "c7", D(0), "1", weight=D(10), group="sales"),  # for one group, under a shared parent
        ItemSpec("2", "sales", D(0), weight=D(40), group="sales", cap=D(90)),
        ItemSpec("2.1", "c4", D(0), "2", weight=D(70)),
        ItemSpec("2.2", "kpi", D(0), "2", weight=D(30)),
        ItemSpec("3", "c5", D(0), weight=D(20)),  # a criterion straight under the top
        ItemSpec("4", "office", D(0), weight=D(10), group="office"),
        ItemSpec("4.1", "c6", D(0), "4", weight=D(100), group="office"),
    )
    rules = (
        RuleSpec("c1", Kind.RATING, "1.1"), RuleSpec("c2", Kind.RATING, "1.2"), RuleSpec("c3", Kind.RATING, "1.3"),
        RuleSpec("c4", Kind.RATING, "2.1"), RuleSpec("kpi", Kind.CAPPED, "2.2", max_points=D(110)),
        RuleSpec("c5", Kind.RATING, "3"), RuleSpec("c6", Kind.RATING, "4.1"),
        RuleSpec("c7", Kind.RATING, "1.5"),
    )
    return SchemeSpec(code="t", year=2026, method=Method.WEIGHTED, items=items, rules=rules, sources=(S360, SURVEY),
                      groups=(GroupSpec("sales", ""), GroupSpec("office", ""), GroupSpec("hr", "")), grades=GRADES)


def tallies(rnd: random.Random, unit: str) -> list[RatingTally]:
    made = []
    for rule in ("c1", "c2", "c3", "c4", "c5", "c6", "c7"):
        if rnd.random() < 0.1:
            continue  # nobody rated it
        groups = [("r360", g) for g in ("superior", "peer", "sub")] + [("survey", "all")]
        for source, group in groups:
            if rnd.random() < 0.2:
                continue
            values = [rnd.choice((20, 50, 70, 85, D("95.5"))) for _ in range(rnd.randint(1, 4))]
            made.append(RatingTally(unit, rule, source, group, len(values), sum((D(v) for v in values), D(0))))
    return made


def without_lines(result):
    return [replace(u, items={code: item._replace(lines=()) for code, item in u.items.items()})
            for u in result.units]


def both(units, ratings, measures=()):
    plain = score_scheme(scheme(), units, (), ratings=ratings, measures=measures, with_lines=False)
    lined = score_scheme(scheme(), units, (), ratings=ratings, measures=measures, with_lines=True)
    return plain, lined


def test_without_lines_every_subject_scores_as_with_lines():
    rnd = random.Random(7)
    units = [UnitFact(f"u{n}", rnd.choice(("sales", "office"))) for n in range(300)]
    ratings = [t for u in units for t in tallies(rnd, u.name)]
    # Few distinct combinations: many subjects share tallies, so the shared leaves are used over and over.
    ratings += [t._replace(unit=f"twin{n}") for n in range(20) for t in ratings if t.unit == "u0"]
    units += [UnitFact(f"twin{n}", ("sales", "office")[n % 2]) for n in range(20)]
    measures = [Measure(u.name, "kpi", D(rnd.randint(0, 150)), D(100)) for u in units if rnd.random() < 0.7]
    plain, lined = both(units, ratings, measures)
    assert without_lines(plain) == without_lines(lined)
    assert plain.grading == lined.grading
    assert any(u.notes for u in plain.units)  # renormalised and left-out criteria were exercised


def test_subjects_with_the_same_tallies_keep_their_own_group_and_quota_outcome():
    def rated(unit, superior=D(95)):
        return [RatingTally(unit, "c1", "r360", "superior", 1, superior),
                RatingTally(unit, "c1", "r360", "peer", 3, D(270)),
                RatingTally(unit, "c1", "survey", "all", 2, D(190)),
                RatingTally(unit, "c4", "r360", "superior", 1, D(50))]

    same = ["o0", "o1", "o2", "h0", "s0", "s1"]
    units = ([UnitFact(n, "office") for n in ("o0", "o1", "o2", "o3")] + [UnitFact(n, "hr") for n in ("h0", "h1")]
             + [UnitFact(n, "sales") for n in ("s0", "s1")])
    ratings = [t for n in same for t in rated(n)] + [t for n in ("o3", "h1") for t in rated(n, superior=D(50))]
    plain, lined = both(units, ratings)
    assert without_lines(plain) == without_lines(lined)
    got = {u.unit: (u.group, u.total, u.grade) for u in plain.units}
    # c1: 360° (50 × 95 + 30 × 90) / 80 = 93.125, survey 95 → (60 × 93.125 + 40 × 95) / 100 = 93.88
    # office: three tie on 93.88 for two places at A (half of four): the whole tie moves down to B
    assert [got[n] for n in ("o0", "o1", "o2")] == [("office", D("93.88"), "B")] * 3
    # hr: the same tallies, one place at A (half of two): admitted
    assert got["h0"] == ("hr", D("93.88"), "A")
    # sales: the same tallies, but its own category counts: (60 × 93.88 + 40 × 50) / 100 = 76.33
    assert got["s0"] == got["s1"] == ("sales", D("76.33"), "B")
    office, hr = plain.unit("o0"), plain.unit("h0")
    left = ({"item": "1.2", "left_out": "no ratings"}, {"item": "1.3", "left_out": "no ratings"},
            {"item": "1", "renormalised": ["1.2", "1.3", "1.4"]}, {"item": "3", "left_out": "no ratings"})
    assert office.notes == (*left, {"item": "4.1", "left_out": "no ratings"},
                            {"item": "4", "left_out": "nothing to score"}, {"item": None, "renormalised": ["3", "4"]},
                            {"demoted": {"grade": "A", "to": "B", "reason": "tie at the quota"}})
    assert hr.notes == (*left, {"item": None, "renormalised": ["3"]})
    assert office.items["1.1"] is hr.items["1.1"]  # the finished leaf itself is shared


def test_ratings_handed_over_grouped_score_as_a_plain_list_of_them():
    from kaohe.scoring import RatingsByUnit

    rnd = random.Random(3)
    units = [UnitFact(f"u{n}", rnd.choice(("sales", "office"))) for n in range(50)]
    ratings = [t for u in units for t in tallies(rnd, u.name)]
    grouped: dict = {}
    for t in reversed(ratings):  # any order within a group will do
        grouped.setdefault(t.unit, {}).setdefault(t.rule, []).append((t.source, t.group, t.count, t.total))
    by_unit = RatingsByUnit({unit: {rule: tuple(given) for rule, given in by_rule.items()}
                             for unit, by_rule in grouped.items()})
    assert sorted(by_unit) == sorted(ratings) and len(by_unit) == len(ratings)
    for with_lines in (False, True):
        assert (score_scheme(scheme(), units, (), ratings=by_unit, with_lines=with_lines)
                == score_scheme(scheme(), units, (), ratings=ratings, with_lines=with_lines))
