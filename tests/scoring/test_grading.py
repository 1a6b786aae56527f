"""Grade bands and quotas by hand: the quota by rank, a tie straddling the limit, the cascade."""

from decimal import Decimal as D

from kaohe.scoring import GradeSpec, ItemSpec, Kind, Measure, Method, RuleSpec, SchemeSpec, UnitFact, score_scheme
from kaohe.scoring.grading import quota_limit

GRADES = (GradeSpec("优秀", "", D(90), D("0.20")), GradeSpec("良好", "", D(80)), GradeSpec("合格", "", D(60)),
          GradeSpec("不合格", "", D(0), needs_plan=True))


def scheme(grades=GRADES) -> SchemeSpec:
    return SchemeSpec(code="g", year=2026, method=Method.WEIGHTED, grades=grades,
                      items=(ItemSpec("1", "score", D(0), weight=D(100)),), rules=(RuleSpec("s", Kind.RATIO, "1"),))


def department(**scores) -> list:
    """Scores as ratios to a target of 100, so each subject's total is its score."""
    units = [UnitFact(name, "dept") for name in scores]
    measures = [Measure(name, "s", D(str(score)), D(100)) for name, score in scores.items()]
    return units, measures


def graded(grades=GRADES, **scores):
    units, measures = department(**scores)
    result = score_scheme(scheme(grades), units, (), measures=measures)
    return {u.unit: u.grade for u in result.units}, result


def test_bands_without_a_quota_problem():
    grades, _ = graded(a=95, b=85, c=60, d="59.99", e=0, f=70, g=70, h=70, i=70, j=70)
    assert grades["a"] == "优秀"  # 1 of 10: within 20 %
    assert (grades["b"], grades["c"], grades["d"], grades["e"]) == ("良好", "合格", "不合格", "不合格")


def test_the_quota_admits_by_rank_and_a_tie_straddling_the_limit_moves_down_whole():
    grades, result = graded(a=95, b=93, c=93, d=91, e=85, f=70, g=70, h=70, i=70, j=70)
    # ⌊0.2 × 10⌋ = 2: a fits; b and c tie for the second place, both or neither → neither; d is past the limit
    assert grades["a"] == "优秀"
    assert (grades["b"], grades["c"], grades["d"]) == ("良好", "良好", "良好")
    report = next(r for r in result.grading if r["grade"] == "优秀")
    assert report["limit"] == 2 and report["admitted"] == ["a"]
    assert report["tie_at_limit"] == ["b", "c"] and report["demoted"] == ["b", "c", "d"]
    b = result.unit("b")
    assert {"demoted": {"grade": "优秀", "to": "良好", "reason": "tie at the quota"}} in b.notes
    assert {"demoted": {"grade": "优秀", "to": "良好", "reason": "quota"}} in result.unit("d").notes


def test_a_tie_that_fits_exactly_is_admitted():
    grades, _ = graded(a=95, b=95, c=80, d=80, e=80, f=80, g=80, h=80, i=80, j=80)
    assert grades["a"] == grades["b"] == "优秀"


def test_demoted_subjects_meet_the_next_quota_in_turn():
    cascade = (GradeSpec("优秀", "", D(90), D("0.20")), GradeSpec("良好", "", D(80), D("0.30")),
               GradeSpec("合格", "", D(0)))
    grades, _ = graded(cascade, a=95, b=93, c=93, d=91, e=85, f=70, g=70, h=70, i=70, j=70)
    # 良好 limit ⌊0.3 × 10⌋ = 3: b, c (tied) and d fill it; e, naturally 良好, goes down
    assert (grades["b"], grades["c"], grades["d"], grades["e"]) == ("良好", "良好", "良好", "合格")


def test_quotas_are_per_group_and_round_down():
    assert quota_limit(D("0.20"), 7) == 1
    assert quota_limit(D("0.20"), 4) == 0
    units = [UnitFact("x1", "one"), UnitFact("x2", "one"), UnitFact("y1", "two")] + \
        [UnitFact(f"y{n}", "two") for n in range(2, 6)]
    measures = [Measure(u.name, "s", D(99), D(100)) for u in units]
    result = score_scheme(scheme(), units, (), measures=measures)
    grades = {u.unit: u.grade for u in result.units}
    assert grades["x1"] == grades["x2"] == "良好"  # ⌊0.2 × 2⌋ = 0
    assert sorted(g for n, g in grades.items() if n.startswith("y")) == ["良好"] * 5  # five tied, limit 1
