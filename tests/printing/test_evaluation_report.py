"""A key project's evaluation report (评估报告), printed and read back with pdftotext: the dimension scores, the
questionnaire's returned forms per group, each scored question's mean and the comments, the on-site review, the
panel's findings and, for a project graded 不合格, the improvement plan."""

from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.db.models import Count

from kaohe.actions.plans import do_save_plan
from kaohe.actions.printing import do_print
from kaohe.actions.rounds import do_open_round
from kaohe.actions.schemes import do_load_scheme
from kaohe.management.demo_services import FINDINGS, PROJECTS, load_project_demo, project_round_demo
from kaohe.models import Answer, Rating, Response, SiteReview, Unit
from kaohe.printing.render import current_format
from kaohe.services.scoring import score

from .helpers import pdf_text, squeeze

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
GOOD, FAILING = "企业数字化转型服务项目", "园区标准厂房代建服务项目"


@pytest.fixture
def projects(people):
    scheme = do_load_scheme("project", 2026)
    load_project_demo(scheme)
    round_ = do_open_round(scheme, name="2026年度重点项目考核", acting_user=people["admin"])
    project_round_demo(round_)  # the questionnaires returned on paper, then the panel's findings
    return round_


def responses(round_, project: str) -> dict[str, int]:
    """Returned forms per questionnaire group, counted from the responses themselves."""
    return dict(Response.objects.filter(survey__round=round_, unit__name=project).values_list("group")
                .annotate(n=Count("id")).values_list("group", "n"))


def test_the_questionnaire_source_is_fed_by_responses_only(projects):
    assert not Rating.objects.filter(scheme=projects.scheme, source__survey=True).exists()
    assert {p: responses(projects, p) for p in PROJECTS} == {
        p: {"beneficiaries": b, "participants": a} for p, (_q, b, a) in PROJECTS.items()}


def test_the_evaluation_report_carries_scores_questionnaire_review_and_findings(projects):
    printed = do_print(current_format("evaluation_report"), projects, unit=GOOD, acting_user=None, base=BASE)
    flat = squeeze(pdf_text(printed.pdf))
    result = score(projects.scheme).unit(GOOD)
    assert f"{GOOD}评估报告" in flat
    assert f"综合得分{result.total}" in flat and result.grade in flat
    dimensions = {"1": "项目目标达成情况", "2": "项目执行情况", "3": "项目工作质量", "4": "项目服务满意度"}
    for code, name in dimensions.items():
        assert f"{code}{name}" in flat and str(result.items[code].score) in flat
    counted = responses(projects, GOOD)
    assert counted == {"beneficiaries": 12, "participants": 5}  # as the demo's questionnaire was returned
    assert f"受益人{counted['beneficiaries']}5计入" in flat and f"项目参与人员{counted['participants']}3计入" in flat
    assert f"合计{counted['beneficiaries'] + counted['participants']}" in flat
    # each scored question's mean over the project's 17 forms, worked out here from the stored answers
    answers = Answer.objects.filter(response__survey__round=projects, response__unit__name=GOOD)
    for question in projects.surveys.get().questionnaire.questions.exclude(rule=None):
        points = list(answers.filter(question=question).values_list("points", flat=True))
        assert len(points) == 17
        mean = (sum(points) / len(points)).quantize(D("0.01"), ROUND_HALF_UP)
        assert squeeze(f"{question.order}. {question.text}({question.rule.code})17{mean.normalize():f}") in flat
    comments = sorted(answers.exclude(text="").values_list("text", flat=True))
    assert comments and all(squeeze(c) in flat for c in comments)
    review = SiteReview.objects.get(scheme=projects.scheme, unit__name=GOOD)
    assert review.date.isoformat() in flat and squeeze(review.evaluators) in flat and "现场照片.png" in flat
    findings, problems, suggestions = FINDINGS[True]
    assert squeeze(findings) in flat and squeeze(problems) in flat and squeeze(suggestions) in flat
    assert "整改计划" not in flat  # 优秀 needs no plan
    assert printed.stamped[0][1]["doc"]["code"] in flat and "DRAFT" in flat


def test_a_questionnaire_group_under_its_minimum_is_reported_as_not_counted(projects):
    printed = do_print(current_format("evaluation_report"), projects, unit="中小企业融资对接服务项目",
                       acting_user=None, base=BASE)
    flat = squeeze(pdf_text(printed.pdf))
    counted = responses(projects, "中小企业融资对接服务项目")
    assert counted == {"beneficiaries": 9, "participants": 2}
    assert "受益人95计入" in flat and "项目参与人员23不足,未计入" in flat


def test_a_project_whose_whole_questionnaire_is_short_reports_both_groups_not_counted(projects):
    project = "专精特新企业培育项目"
    flat = squeeze(pdf_text(do_print(current_format("evaluation_report"), projects, unit=project, acting_user=None,
                                     base=BASE).pdf))
    assert responses(projects, project) == {"beneficiaries": 3, "participants": 2}
    assert "受益人35不足,未计入" in flat and "项目参与人员23不足,未计入" in flat and "合计5" in flat
    # the questionnaire left out, the panel alone rates 1.3, 4.2 and 4.3, and the report says so
    notes = score(projects.scheme).unit(project).notes
    assert [n["item"] for n in notes if n.get("renormalised") == ["survey"]] == ["1.3", "4.2", "4.3"]
    assert "1.3:缺少" in flat


def test_a_failing_project_s_report_asks_for_then_shows_its_improvement_plan(projects, people):
    assert score(projects.scheme).unit(FAILING).grade == "不合格"
    fmt = current_format("evaluation_report")
    flat = squeeze(pdf_text(do_print(fmt, projects, unit=FAILING, acting_user=None, base=BASE).pdf))
    assert "七、整改计划" in flat and "须制定整改计划(尚未提交)" in flat
    do_save_plan(projects, Unit.objects.get(name=FAILING), actions="倒排工期,每两周报告进度", owner="项目负责人王工",
                 due=date(2027, 3, 31), acting_user=people["admin"])
    flat = squeeze(pdf_text(do_print(fmt, projects, unit=FAILING, acting_user=None, base=BASE).pdf))
    assert "倒排工期,每两周报告进度" in flat and "责任人:项目负责人王工" in flat and "2027-03-31" in flat
