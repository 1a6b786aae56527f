"""Management by objectives by hand: completion rolls up the tree; each owner scores their topmost nodes."""

from decimal import Decimal as D

from kaohe.scoring import ItemSpec, Kind, Measure, Method, RuleSpec, SchemeSpec, UnitFact, score_scheme
from kaohe.services.seed import spec_from_file


def tree() -> SchemeSpec:
    items = (
        ItemSpec("1", "company", D(0), weight=D(100), owner="C"),
        ItemSpec("1.1", "department", D(0), "1", weight=D(60), owner="D"),
        ItemSpec("1.1.1", "personal", D(0), "1.1", weight=D(50), owner="P", target=D(100)),
        ItemSpec("1.1.2", "monthly", D(0), "1.1", weight=D(50), owner="D", target=D(200)),
        ItemSpec("1.2", "energy", D(0), "1", weight=D(40), owner="D", target=D(80)),
    )
    rules = (RuleSpec("p", Kind.CAPPED, "1.1.1", max_points=D(120)), RuleSpec("m", Kind.RATIO, "1.1.2"),
             RuleSpec("e", Kind.LOWER_BETTER, "1.2", max_points=D(120)))
    return SchemeSpec(code="mbo", year=2026, method=Method.OBJECTIVES, items=items, rules=rules)


OWNERS = [UnitFact("C", "company"), UnitFact("D", "dept"), UnitFact("P", "staff")]


def test_progress_rolls_up_with_caps_and_missing_progress_counts_as_nothing():
    result = score_scheme(tree(), OWNERS, (), measures=[Measure("", "p", D(130)), Measure("", "e", D(100))])
    person, dept, company = result.unit("P"), result.unit("D"), result.unit("C")
    assert person.items["1.1.1"].score == D("120")  # 130 %, capped per task
    assert person.total == D("120.00")
    assert dept.items["1.1.2"].score == D("0")
    assert dept.items["1.1"].score == D("60.00")  # (50 × 120 + 50 × 0) / 100
    assert dept.items["1.2"].score == D("80.00")  # 100 × 80 / 100, lower is better
    # D's topmost nodes are 1.1 and 1.2; 1.1.2 already counts inside 1.1
    assert dept.total == D("68.00")
    assert company.total == D("68.00")  # (60 × 60 + 40 × 80) / 100
    assert {"item": "1.1.2", "left_out": "no progress reported"} not in dept.notes
    assert set(person.items) == {"1.1.1"}  # an owner's result holds only their own nodes


def test_the_seed_tree_scores_from_its_fixture():
    spec = spec_from_file("mbo", 2026)
    owners = [UnitFact("公司经营班子", "company"), UnitFact("销售部", "sales"), UnitFact("张伟", "yewu")]
    measures = [Measure("", "t.jan.zhangwei", D(420)), Measure("", "t.jan.lina", D(200)),
                Measure("", "t.feb", D(500)), Measure("", "t.mar", D(700))]
    result = score_scheme(spec, owners, (), measures=measures)
    zhang = result.unit("张伟")
    assert zhang.total == D("120.00")  # 420 / 350 = 120 %, capped at 120
    sales = result.unit("销售部")
    # Jan = (60 × 120 + 40 × 80) / 100 = 104; Q1 = (30 × 104 + 30 × 100 + 40 × 100) / 100 = 101.20
    assert sales.items["1.1.1.1"].score == D("104.00")
    assert sales.items["1.1.1"].score == D("101.20")
    # the year: (20 × 101.20 + 25 × 0 + 25 × 0 + 30 × 0) / 100 = 20.24 — Q2..Q4 not reported yet
    assert sales.total == D("20.24")
