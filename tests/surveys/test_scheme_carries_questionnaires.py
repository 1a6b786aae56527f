"""Next year's scheme keeps its questionnaires: a copy, and an export read back by an import, carry the newest
version of each as version 1, its questions on the new scheme's rules of the same codes, and never a survey,
an invitation or an answer. A question whose criterion the new scheme lacks refuses the whole copy or file."""

import pytest

from kaohe.actions.rounds import do_open_round
from kaohe.actions.scheme_import import do_import_scheme
from kaohe.actions.schemes import do_copy_scheme, do_load_scheme
from kaohe.actions.surveys import do_create_questionnaire, do_new_questionnaire_version
from kaohe.imports.errors import ImportRejected
from kaohe.management.demo_services import answer_project_questionnaires, load_project_demo
from kaohe.management.demo_surveys import INTRO, PROJECT_QUESTIONS, QUESTIONNAIRES
from kaohe.models import (
    Answer,
    AuditEvent,
    Invitation,
    Question,
    Questionnaire,
    Response,
    Rule,
    Scheme,
    Survey,
    SurveyScore,
)
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.scheme_yaml import export_scheme

pytestmark = pytest.mark.django_db
CODE = QUESTIONNAIRES["project"][0]
ANSWERED = (Survey, Invitation, Response, Answer, SurveyScore)


@pytest.fixture
def answered(admin):
    """project-2026 with its demo questionnaire answered on paper, then a second version with question 3 reworded
    and reweighted: the version a copy must carry."""
    scheme = do_load_scheme("project", 2026)
    load_project_demo(scheme)
    answer_project_questionnaires(do_open_round(scheme, name="2026年度重点项目考核", acting_user=admin))
    first = Questionnaire.objects.get(scheme=scheme, code=CODE)
    newest = do_new_questionnaire_version(first, acting_user=admin)
    Question.objects.filter(questionnaire=newest, order=3).update(text="项目团队与您沟通是否顺畅", weight=3)
    return scheme


def questions_of(questionnaire) -> list[tuple]:
    return list(questionnaire.questions.values_list("order", "text", "kind", "options", "rule__code", "weight",
                                                    "required"))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Scheme, Rule, Questionnaire, Question, *ANSWERED)}


def test_a_copy_carries_the_newest_questionnaire_on_its_own_rules_without_answers(answered, admin):
    assert Response.objects.filter(survey__round__scheme=answered).exists()  # last year's forms came back
    newest = Questionnaire.objects.get(scheme=answered, code=CODE, version=2)
    answered_before = {model.__name__: model.objects.count() for model in ANSWERED}

    copy = do_copy_scheme(answered, year=2027, acting_user=admin)

    assert copy.code == "project-2027"
    [carried] = Questionnaire.objects.filter(scheme=copy)
    assert (carried.code, carried.version) == (CODE, 1)
    assert (carried.name, carried.intro, carried.letters) == (newest.name, newest.intro, newest.letters)
    assert questions_of(carried) == questions_of(newest)
    # the demo's questions, in order, each on the criterion it was written for; question 3 as version 2 has it
    assert [(order, rule) for order, _t, _k, _o, rule, _w, _r in questions_of(carried)] == [
        (n, spec.criterion or None) for n, spec in enumerate(PROJECT_QUESTIONS, 1)]
    third = carried.questions.get(order=3)
    assert (third.text, third.weight) == ("项目团队与您沟通是否顺畅", 3)
    for question in carried.questions.select_related("rule", "questionnaire"):
        assert question.rule is None or question.rule.scheme_id == copy.pk
        question.full_clean()  # a rated criterion of its own scheme, as the model requires
    # nothing answered travels: the copy's questionnaire was never asked, and last year's answers stay put
    assert not Survey.objects.filter(questionnaire__scheme=copy).exists()
    assert not Answer.objects.filter(question__questionnaire=carried).exists()
    assert not SurveyScore.objects.filter(scheme=copy).exists()
    assert {model.__name__: model.objects.count() for model in ANSWERED} == answered_before
    assert list(Questionnaire.objects.filter(scheme=answered).values_list("version", flat=True)) == [2, 1]
    event = AuditEvent.objects.get(action="scheme.copy", scheme=copy, user=admin)
    assert event.before["questionnaires"] == {CODE: 2} and event.after["questionnaires"] == {CODE: 1}


def test_a_question_on_a_criterion_the_copy_lacks_refuses_the_copy_by_name(answered, admin):
    elsewhere = do_load_scheme("employee", 2026)
    stray = Rule.objects.filter(scheme=elsewhere).exclude(
        code__in=Rule.objects.filter(scheme=answered).values("code")).order_by("code").first()
    newest = Questionnaire.objects.get(scheme=answered, code=CODE, version=2)
    Question.objects.filter(questionnaire=newest, order=4).update(rule=stray)  # past the model's own check
    before = counts()

    with pytest.raises(Refused) as refused:
        do_copy_scheme(answered, year=2027, acting_user=admin)

    assert refused.value.code == "questionnaire_criterion_missing" and not isinstance(refused.value, NotAllowed)
    assert stray.code in str(refused.value) and newest.name in str(refused.value) and "project-2027" in str(
        refused.value)
    assert counts() == before
    assert not Scheme.objects.filter(code="project-2027").exists()


def _renamed(text: str, old: str, new: str) -> str:
    return text.replace(f"code: {old}\n", f"code: {new}\n", 1)


def test_export_import_export_is_identical_with_a_questionnaire(answered):
    text = export_scheme(answered)
    newest = Questionnaire.objects.get(scheme=answered, code=CODE, version=2)
    assert "questionnaires:" in text and "项目团队与您沟通是否顺畅" in text
    assert "项目团队与您的沟通配合" not in text  # version 1's wording stays behind
    assert "version:" not in text.split("questionnaires:", 1)[1].split("sections:", 1)[0]

    shared = _renamed(text, answered.code, "project-shared")
    imported = do_import_scheme(shared, acting_user=None)

    assert export_scheme(imported) == shared
    [made] = Questionnaire.objects.filter(scheme=imported)
    assert (made.code, made.version, made.name) == (CODE, 1, newest.name)
    assert questions_of(made) == questions_of(newest)
    assert not Question.objects.filter(questionnaire=made).exclude(rule=None).exclude(rule__scheme=imported).exists()
    assert not Survey.objects.filter(questionnaire=made).exists()
    event = AuditEvent.objects.get(action="scheme.import", scheme=imported)
    assert event.after["questionnaires"] == 1


def test_a_file_whose_question_names_an_unknown_criterion_imports_nothing(answered):
    text = _renamed(export_scheme(answered), answered.code, "project-bad")
    lines = text.splitlines()
    start = lines.index("questionnaires:")
    at = next(n for n in range(start, len(lines)) if lines[n].strip() == "rule: service.handling")
    lines[at] = lines[at].replace("service.handling", "service.nosuch")
    before = counts()

    with pytest.raises(ImportRejected) as rejected:
        do_import_scheme("\n".join(lines) + "\n", acting_user=None)

    [error] = rejected.value.errors
    assert (error.code, error.value) == ("unknown_reference", "service.nosuch")
    assert error.column == "questionnaires[0].questions[3].rule"  # question 4, the first on service.handling
    assert start < error.line <= at + 1
    assert counts() == before


def test_single_choice_options_and_letters_survive_the_round_trip(admin):
    scheme = do_load_scheme("centre", 2026)
    code, name, questions = QUESTIONNAIRES["centre"]
    written = do_create_questionnaire(scheme, code=code, name=name, questions=questions, intro=INTRO, letters=True,
                                      acting_user=admin)
    text = export_scheme(scheme)
    shared = _renamed(text, scheme.code, "centre-shared")

    imported = do_import_scheme(shared, acting_user=None)

    assert export_scheme(imported) == shared
    made = Questionnaire.objects.get(scheme=imported, code=code)
    assert (made.intro, made.letters) == (INTRO, True)
    assert questions_of(made) == questions_of(written)
    choice = made.questions.get(kind="choice")
    assert choice.options == list(questions[1].options)  # 快 100, 较快 85, 一般 70, 慢 50, as written
