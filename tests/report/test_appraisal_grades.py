"""``appraisal_grades``: grades against the quota, rater-group means and outliers, worked out by hand."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from kaohe.permissions import can_run_report
from kaohe.refusals import Refused
from kaohe.report.registry import get_report
from tests.conftest import fresh
from tests.imports.helpers import csv_bytes

QUARTERLY = "个人定期考核(季度面谈+书面评估)"
SELF = "员工自评与上级评估 · 自评"


@pytest.fixture
def appraised(db, django_user_model):
    """客户服务部 (kefu), five people, each rated on 1.1 only, so a total is 1.1's score:

    张三: quarterly 100, 98, 96, 70 (four raters, 2026-Q1) → mean 91 → 优秀 by band
    李四: quarterly 92 → 92 → 优秀 by band, and first: 优秀's quota 20 % of 5 admits ⌊1⌋ = 1, so 张三 moves to 良好
    陈静: quarterly 85 → 良好;  赵磊: quarterly 50 → 不合格
    王芳: quarterly 70 and a self-rating 90: quarterly (30) and self-assessment (15, its superior group missing,
          so self alone) → (30 × 70 + 15 × 90) / 45 = 76.67 → 合格
    """
    from kaohe.actions.appraisal import do_import_ratings
    from kaohe.actions.rounds import do_open_round
    from kaohe.actions.schemes import do_load_scheme
    from kaohe.actions.units import do_import_units
    from kaohe.models import Membership

    scheme = do_load_scheme("employee", 2026)
    do_import_units(csv_bytes("name,group\n张三,kefu\n李四,kefu\n陈静,kefu\n王芳,kefu\n赵磊,kefu\n"), "people.csv")
    rows = ("ratee,criterion,source,group,rater,rating,period\n"
            "张三,1.1,quarterly,,r1,100,2026-Q1\n张三,1.1,quarterly,,r2,98,2026-Q1\n"
            "张三,1.1,quarterly,,r3,96,2026-Q1\n张三,1.1,quarterly,,r4,70,2026-Q1\n"
            "李四,1.1,quarterly,,r1,92,2026-Q1\n陈静,1.1,quarterly,,r1,85,2026-Q1\n"
            "王芳,1.1,quarterly,,r1,70,2026-Q1\n王芳,1.1,self,self,wangfang,90,2026\n"
            "赵磊,1.1,quarterly,,r1,50,2026-Q1\n")
    do_import_ratings(csv_bytes(rows), "ratings.csv", scheme)
    users = {}
    for name, role in (("boss", "admin"), ("meet", "meeting"), ("zs", "unit")):
        users[name] = django_user_model.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], role=role)
    round_ = do_open_round(scheme, name="2026年度员工考核", acting_user=users["boss"])
    return round_, users


def part(rows, code):
    return [r for r in rows if r["part_code"] == code]


def test_grades_against_the_quota_per_department(appraised):
    round_, _users = appraised
    with translation.override("en"):
        result = get_report("appraisal_grades").run(round_)
    grades = part(result.rows, "grades")
    assert [(r["department"], r["grade"], r["count"], r["members"], r["limit"], r["value"], r["reference"], r["gap"])
            for r in grades] == [
        ("客户服务部", "优秀", 1, 5, 1, D("20.00"), D("20.00"), D("0.00")),
        ("客户服务部", "良好", 2, 5, None, D("40.00"), None, None),
        ("客户服务部", "合格", 1, 5, None, D("20.00"), None, None),
        ("客户服务部", "不合格", 1, 5, None, D("20.00"), None, None),
    ]
    assert grades[0]["detail"] == "moved down by the quota: 张三"
    assert result.chart["categories"] == [f"客户服务部 · {grade}" for grade in ("优秀", "良好", "合格", "不合格")]
    assert result.chart["values"] == ["1", "2", "1", "1"] and result.chart["limits"] == [1, None, None, None]


def test_rater_group_means_against_the_department(appraised):
    round_, _users = appraised
    raters = part(get_report("appraisal_grades").run(round_).rows, "raters")
    # quarterly: 100 + 98 + 96 + 70 + 92 + 85 + 70 + 50 = 661 over 8 → 82.625 → 82.63;
    # self: 90; the department: 751 over 9 → 83.444… → 83.44
    assert [(r["rater_group"], r["count"], r["value"], r["reference"], r["gap"]) for r in raters] == [
        (QUARTERLY, 8, D("82.63"), D("83.44"), D("-0.81")),
        (SELF, 1, D("90.00"), D("83.44"), D("6.56")),
    ]


def test_an_outlier_is_named_to_the_administrator_only(appraised):
    round_, users = appraised
    with translation.override("en"):
        seen = get_report("appraisal_grades").run(round_, user=fresh(users["boss"]))
        hidden = get_report("appraisal_grades").run(round_, user=fresh(users["meet"]))
    # 张三 on 1.1, quarterly, 2026-Q1: 70, 96, 98, 100 → median (96 + 98) / 2 = 97; only 70 is more than 15 away
    outliers = part(seen.rows, "outliers")
    assert [(r["subject"], r["criterion"], r["rater"], r["count"], r["value"], r["reference"], r["gap"], r["detail"])
            for r in outliers] == [("张三", "1.1 服务态度", "r4", 4, D("70"), D("97"), D("-27"), "period 2026-Q1")]
    assert [r["rater"] for r in part(hidden.rows, "outliers")] == ["anonymous"]
    assert "r4" not in str(hidden.rows)
    assert "1 outlying ratings: a rating more than 15 points from the median" in seen.summary
    assert seen.summary.startswith("5 graded in 1 departments")


def test_who_may_run_it(appraised):
    round_, users = appraised
    assert can_run_report(fresh(users["meet"]), "appraisal_grades", round_)
    assert not can_run_report(fresh(users["zs"]), "appraisal_grades", round_)  # not published


def test_a_department_filter(appraised):
    round_, _users = appraised
    assert get_report("appraisal_grades").run(round_, {"group": "yewu"}).rows == []


def test_consistency_is_refused_by_name_for_a_scheme_without_a_ledger(appraised):
    round_, _users = appraised
    assert round_.sheets.exists()
    report = get_report("consistency")
    assert not report.applies_to(round_.scheme)
    with pytest.raises(Refused) as refused:
        report.run(round_)
    assert refused.value.code == "report_not_for_scheme"
