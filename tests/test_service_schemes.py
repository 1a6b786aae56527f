"""The key-project and service-centre schemes scored from the database, every figure worked out by hand here
from the scheme's weights and the inputs; the questionnaire source is fed by returned questionnaires only (an
ordinary rating on it is refused), below its minimum it is left out and the rest renormalised, above it counted;
the centres' staff competence comes from the employee appraisal."""

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.db.models import Count

from kaohe.actions.appraisal import do_import_measures as import_measures
from kaohe.actions.appraisal import do_import_ratings as import_ratings
from kaohe.actions.rating_entry import do_assign_raters
from kaohe.actions.rounds import do_open_round
from kaohe.actions.schemes import do_load_scheme as load_scheme
from kaohe.actions.staff_competence import do_import_staff_competence
from kaohe.actions.surveys import QuestionSpec, do_create_questionnaire, do_import_paper_forms, do_open_survey
from kaohe.actions.units import do_import_units as import_units
from kaohe.imports.errors import ImportRejected
from kaohe.models import Measurement, Membership, Rating, Response, Unit
from kaohe.refusals import Refused
from kaohe.services.scoring import score
from tests.imports.helpers import csv_bytes

pytestmark = pytest.mark.django_db

RATINGS = "ratee,criterion,source,group,rater,rating,period\n"
MEASURES = "unit,indicator,target,actual,date\n"
A, B, C = D(95), D(85), D(70)  # the schemes' scale


def r(value: D) -> D:
    """Half-up to two places, as the schemes round every node."""
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def mean(*values) -> D:
    return sum((D(v) for v in values), D(0)) / len(values)


def weighted(*pairs) -> D:
    return sum((D(w) * s for w, s in pairs), D(0)) / sum(D(w) for w, _s in pairs)


def ratings(unit: str, criterion: str, source: str, group: str, values, prefix: str) -> str:
    return "".join(f"{unit},{criterion},{source},{group},{prefix}{n},{v},2026\n" for n, v in enumerate(values, 1))


POINTS = [{"label": str(p), "points": str(p)} for p in range(50, 101, 5)]  # a choice worth what it says


def open_questionnaire(scheme, admin):
    """The scheme's survey in an open round: one single-choice question per criterion of its survey source,
    answered in points, then a free-text question that is never scored."""
    source = scheme.sources.get(survey=True)
    questions = [QuestionSpec(f"对{c}的评价", kind="choice", criterion=c, options=tuple(POINTS))
                 for c in source.criteria] + [QuestionSpec("意见和建议", kind="text", required=False)]
    questionnaire = do_create_questionnaire(scheme, code="satisfaction", name="满意度问卷", questions=questions,
                                            acting_user=admin)
    round_ = do_open_round(scheme, acting_user=admin)
    return do_open_survey(round_, questionnaire, source, name="满意度调查", acting_user=admin)


def return_forms(survey, unit: str, group: str, answers: dict[str, list], admin, name: str = "forms.csv") -> None:
    """Paper forms about ``unit``: form n answers each criterion with ``answers[criterion][n]`` points."""
    criteria = list(answers)
    orders = len(survey.questionnaire.questions.all())
    lines = ["group,unit," + ",".join(str(n) for n in range(1, orders + 1))]
    for n in range(len(answers[criteria[0]])):
        lines.append(f"{group},{unit}," + ",".join(str(answers[c][n]) for c in criteria) + ",很好")
    do_import_paper_forms(csv_bytes("\n".join(lines) + "\n"), name, survey, acting_user=admin)


@pytest.fixture
def admin(django_user_model):
    made = django_user_model.objects.create_user("admin", "admin@example.invalid", "a-Long-pass-4821", is_staff=True)
    Membership.objects.create(user=made, role="admin")
    return made


@pytest.fixture
def project(db, admin):
    scheme = load_scheme("project", 2026)
    import_units(csv_bytes("name,group\n数字化项目,project\n融资项目,project\n"), "projects.csv")
    return scheme, open_questionnaire(scheme, admin)


def test_a_project_by_hand_with_one_questionnaire_group_under_its_minimum(project, admin):
    project, survey_ = project
    import_measures(csv_bytes(MEASURES + "数字化项目,goal.outputs,40,44,2026-12-31\n"
                              "数字化项目,exec.milestones,8,6,2026-12-31\n数字化项目,exec.contract,24,21,2026-12-31\n"
                              "数字化项目,quality.documents,,96,2026-12-31\n"
                              "数字化项目,service.response,120,108,2026-12-31\n"), "m.csv", project)
    panel = {"goal.achieved": "AAB", "goal.users": "BBB", "exec.process": "BCC", "quality.results": "ABB",
             "quality.attitude": "AAA", "service.communication": "CBB", "service.handling": "BBA"}
    # beneficiaries (minimum 5) answered 5 forms; participants (minimum 3) only 2: that group is left out
    beneficiaries = {"goal.users": [80, 90, 100, 70, 90], "service.communication": [90, 90, 80, 80, 70],
                     "service.handling": [100, 90, 90, 80, 90]}
    rows = RATINGS + "".join(ratings("数字化项目", c, "panel", "experts", list(v), "专家") for c, v in panel.items())
    import_ratings(csv_bytes(rows), "r.csv", project)
    return_forms(survey_, "数字化项目", "beneficiaries", beneficiaries, admin)
    return_forms(survey_, "数字化项目", "participants", {c: [60, 70] for c in beneficiaries}, admin, "p.csv")
    assert Response.objects.filter(survey=survey_, unit__name="数字化项目").count() == 7

    letter = {"A": A, "B": B, "C": C}
    panel_mean = {c: mean(*(letter[x] for x in v)) for c, v in panel.items()}
    survey = {c: mean(*v) for c, v in beneficiaries.items()}  # participants short: beneficiaries alone
    both = {c: r(weighted((40, panel_mean[c]), (60, survey[c]))) for c in survey}  # panel 40, questionnaire 60
    leaf = {
        "1.1": D(110),  # 100 × 44 / 40 = 110, held to the rule's 110
        "1.2": r(panel_mean["goal.achieved"]),  # (95 + 95 + 85) / 3 = 91.67
        "1.3": both["goal.users"],  # (40 × 85 + 60 × 86) / 100 = 85.6
        "2.1": D(75),  # 100 × 6 / 8
        "2.2": D("87.5"),  # 100 × 21 / 24
        "2.3": r(panel_mean["exec.process"]),  # 75
        "3.1": r(panel_mean["quality.results"]),  # 88.33
        "3.2": D(90),  # 96 % reaches the 95 band
        "3.3": r(panel_mean["quality.attitude"]),  # 95
        "4.1": D(90),  # 100 × 108 / 120
        "4.2": both["service.communication"],  # (40 × 80 + 60 × 82) / 100 = 81.2
        "4.3": both["service.handling"],  # (40 × 88.33… + 60 × 90) / 100 = 89.33
    }
    dims = {
        "1": r(weighted((50, leaf["1.1"]), (30, leaf["1.2"]), (20, leaf["1.3"]))),
        "2": r(weighted((40, leaf["2.1"]), (35, leaf["2.2"]), (25, leaf["2.3"]))),
        "3": r(weighted((40, leaf["3.1"]), (30, leaf["3.2"]), (30, leaf["3.3"]))),
        "4": r(weighted((30, leaf["4.1"]), (30, leaf["4.2"]), (40, leaf["4.3"]))),
    }
    total = r(weighted((30, dims["1"]), (25, dims["2"]), (25, dims["3"]), (20, dims["4"])))
    assert (leaf["1.3"], leaf["4.2"], leaf["4.3"]) == (D("85.6"), D("81.2"), D("89.33"))
    assert dims == {"1": D("99.62"), "2": D("79.38"), "3": D("90.83"), "4": D("87.09")}
    assert total == D("89.86")

    result = score(project).unit("数字化项目")
    assert {code: result.items[code].score for code in leaf} == leaf
    assert {code: result.items[code].score for code in dims} == dims
    assert result.total == total and result.grade == "良好"
    line = result.items["1.3"].lines[0].detail
    survey_used = next(s for s in line["sources"] if s["source"] == "survey")
    assert survey_used["short"] == [{"group": "participants", "raters": 2, "minimum": 3}]


def test_a_project_whose_questionnaire_is_under_every_minimum_is_scored_by_the_panel_alone(project, admin):
    project, survey = project
    rows = RATINGS + ratings("融资项目", "goal.users", "panel", "experts", "BBC", "专家")
    import_ratings(csv_bytes(rows), "r.csv", project)
    return_forms(survey, "融资项目", "beneficiaries", {c: [100] * 4 for c in survey.source.criteria}, admin)
    result = score(project).unit("融资项目")
    only_panel = r(mean(B, B, C))  # 80: the questionnaire's 4 forms are under its 5, so its 60 % is renormalised
    assert result.items["1.3"].score == only_panel == D(80)
    assert {"item": "1.3", "renormalised": ["survey"]} in result.notes
    assert result.total == only_panel  # nothing else measured or rated: every other node renormalised away


@pytest.fixture
def centre(db, admin):
    employees = load_scheme("employee", 2026)
    import_units(csv_bytes("name,group\n张三,kefu\n李四,kefu\n王芳,kefu\n赵磊,kefu\n"), "people.csv")
    # one quarterly rating each: the composite is that rating (every other criterion renormalised away)
    import_ratings(csv_bytes(RATINGS + "张三,1.1,quarterly,,陈静,A,2026-Q4\n李四,1.1,quarterly,,陈静,C,2026-Q4\n"
                             "王芳,1.1,quarterly,,陈静,B,2026-Q4\n赵磊,1.1,quarterly,,陈静,D,2026-Q4\n"), "e.csv",
                   employees)
    scheme = load_scheme("centre", 2026)
    import_units(csv_bytes("name,group\n城关中心,centre\n"), "centres.csv")
    return scheme, employees, open_questionnaire(scheme, admin)


def test_a_centre_by_hand_with_the_questionnaire_under_then_over_its_minimum(centre, admin):
    scheme, employees, survey = centre
    import_measures(csv_bytes(MEASURES + "城关中心,quality.on_time,600,570,2026-12-31\n"
                              "城关中心,quality.days,5,4,2026-12-31\n城关中心,results.projects,12,13,2026-12-31\n"
                              "城关中心,results.solved,80,72,2026-12-31\n"
                              "城关中心,satisfaction.complaints,20,19,2026-12-31\n"), "m.csv", scheme)
    panel = {"quality.manner": "AB", "results.plan": "BC", "org.hr": "AA", "org.finance": "BB",
             "org.information": "CB"}
    rows = RATINGS + "".join(ratings("城关中心", c, "panel", "panel", list(v), "考评") for c, v in panel.items())
    import_ratings(csv_bytes(rows), "r.csv", scheme)
    return_forms(survey, "城关中心", "enterprises", {"satisfaction.survey": [80, 90, 70, 100]}, admin)
    outcome = do_import_staff_competence(csv_bytes("centre,person\n城关中心,张三\n城关中心,李四\n城关中心,王芳\n"),
                                         "staff.csv", scheme, employee_scheme=employees)
    assert outcome.created == 1
    staff = r(mean(A, C, B))  # 张三 95, 李四 70, 王芳 85 → 83.33; 赵磊 works elsewhere
    assert Measurement.objects.get(scheme=scheme, rule__code="staff.appraisal").actual == staff

    letter = {"A": A, "B": B, "C": C}
    p = {c: r(mean(*(letter[x] for x in v))) for c, v in panel.items()}
    dims = {
        # on time 100 × 570 / 600 = 95; days 100 × 5 / 4 = 125 held to 110; manner (95 + 85) / 2 = 90
        "1": r(weighted((40, D(95)), (30, D(110)), (30, p["quality.manner"]))),
        "2": staff,
        # projects 100 × 13 / 12 = 108.33; solved 100 × 72 / 80 = 90; plan (85 + 70) / 2 = 77.5
        "3": r(weighted((40, r(D(1300) / 12)), (30, D(90)), (30, p["results.plan"]))),
        "4": D(95),  # 4 forms under the minimum of 5: 4.1 left out, 4.2 (100 × 19 / 20) alone
        "5": r(weighted((35, p["org.hr"]), (35, p["org.finance"]), (30, p["org.information"]))),
    }
    assert dims == {"1": D(98), "2": D("83.33"), "3": D("93.58"), "4": D(95), "5": D("86.25")}
    total = r(weighted((25, dims["1"]), (20, dims["2"]), (25, dims["3"]), (20, dims["4"]), (10, dims["5"])))
    assert total == D("92.19")
    result = score(scheme).unit("城关中心")
    assert {code: result.items[code].score for code in dims} == dims
    assert result.total == total
    assert {"item": "4.1", "left_out": "no ratings"} in result.notes
    assert "4.1" not in result.items

    # the fifth form arrives: 4.1 = (80 + 90 + 70 + 100 + 85) / 5 = 85, and 4 = (70 × 85 + 30 × 95) / 100 = 88
    return_forms(survey, "城关中心", "enterprises", {"satisfaction.survey": [85]}, admin, "fifth.csv")
    dims["4"] = r(weighted((70, mean(80, 90, 70, 100, 85)), (30, D(95))))
    assert dims["4"] == D(88)
    again = score(scheme).unit("城关中心")
    assert again.items["4.1"].score == D(85) and again.items["4"].score == dims["4"]
    assert again.total == r(weighted((25, dims["1"]), (20, dims["2"]), (25, dims["3"]), (20, dims["4"]),
                                     (10, dims["5"]))) == D("90.79")


def test_a_bad_staff_file_names_every_bad_row_and_writes_nothing(centre):
    scheme, employees, _survey = centre
    data = csv_bytes("centre,person\n城关中心,张三\n城关中心,无名氏\n别的中心,李四\n城关中心,张三\n")
    with pytest.raises(ImportRejected) as rejected:
        do_import_staff_competence(data, "staff.csv", scheme, employee_scheme=employees)
    assert [(e.line, e.column, e.code) for e in rejected.value.errors] == [
        (3, "person", "unknown_person"), (4, "centre", "unknown_unit"), (5, "person", "duplicate_row")]
    assert not Measurement.objects.filter(scheme=scheme).exists()


@pytest.mark.parametrize("family", ["project", "centre"])
def test_every_panel_rating_needs_its_note_and_a_questionnaire_answer_none(family):
    from kaohe.services.rating_entry import needs_note

    scheme = load_scheme(family, 2026)
    panel = scheme.sources.get(code="panel").groups.get()
    assert all(needs_note(panel, D(points)) for points in scheme.rating_scale.values())  # A 95 … D 50
    assert not any(needs_note(group, D(0)) for group in scheme.sources.get(code="survey").groups.all())


@pytest.mark.parametrize("family", ["project", "centre"])
def test_an_ordinary_rating_on_the_questionnaire_source_is_refused_by_name(family, admin, django_user_model):
    scheme = load_scheme(family, 2026)
    import_units(csv_bytes(f"name,group\n某单位,{family}\n"), "units.csv")
    source = scheme.sources.get(survey=True)
    criterion, group = source.criteria[0], source.groups.first()
    panel = scheme.sources.get(code="panel")
    rows = RATINGS + f"某单位,{panel.criteria[0]},panel,{panel.groups.get().code},甲,A,2026\n"
    rows += f"某单位,{criterion},{source.code},{group.code},问卷1,90,2026\n"
    with pytest.raises(ImportRejected) as rejected:
        import_ratings(csv_bytes(rows), "r.csv", scheme)
    assert [(e.line, e.column, e.value, e.code) for e in rejected.value.errors] == [
        (3, "source", source.code, "survey_source")]
    assert source.code in str(rejected.value.errors[0])
    assert not Rating.objects.filter(scheme=scheme).exists()  # the good panel row is not written either

    rater = django_user_model.objects.create_user("rater", "rater@example.invalid", "a-Long-pass-4821")
    round_ = do_open_round(scheme, acting_user=admin)
    with pytest.raises(Refused) as refused:
        do_assign_raters(round_, [(group, rater, Unit.objects.get(name="某单位"))], acting_user=admin)
    assert refused.value.code == "survey_source" and source.name in str(refused.value)
    assert not round_.rating_assignments.exists()


def test_the_centre_demo_answers_its_questionnaire_through_the_survey(admin):
    from kaohe.management.demo_services import CENTRES, ROUND_DEMOS, load_centre_demo
    from kaohe.management.demo_surveys import NOT_RETURNED
    from kaohe.models import Answer, Invitation

    scheme = load_scheme("centre", 2026)
    load_centre_demo(scheme)
    round_ = do_open_round(scheme, acting_user=admin)
    ROUND_DEMOS["centre"](round_)
    returned = {c: n for c, (_q, n, _s) in CENTRES.items()}
    assert dict(Response.objects.filter(survey__round=round_).values_list("unit__name").annotate(
        n=Count("id")).values_list("unit__name", "n")) == returned
    assert Invitation.objects.filter(survey__round=round_).count() == sum(returned.values()) + NOT_RETURNED * 4
    assert Invitation.objects.filter(survey__round=round_, used=True).count() == sum(returned.values())
    assert not Rating.objects.filter(scheme=scheme, source__survey=True).exists()

    result = score(scheme)
    for centre, forms in returned.items():
        if forms < 5:  # 经济开发区: 4 forms under the minimum of 5, 4.1 left out and 4.2 alone makes 4
            assert "4.1" not in result.unit(centre).items
            continue
        # each form: (3 × overall + efficiency + manner + solved) / 6 on 4.1; the criterion is their mean
        values = []
        for response in Response.objects.filter(survey__round=round_, unit__name=centre):
            points = dict(Answer.objects.filter(response=response).exclude(points=None)
                          .values_list("question__order", "points"))
            values.append(r(weighted((3, points[1]), (1, points[2]), (1, points[3]), (1, points[4]))))
        assert result.unit(centre).items["4.1"].score == r(mean(*values))
