"""Writing a questionnaire through the write layer (as the project and centre demos do), and a survey source that
takes no rater: each refusal names what is wrong and writes nothing."""

from decimal import Decimal as D

import pytest

from kaohe.actions.rating_entry import do_submit_ratings
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.surveys import QuestionSpec, do_create_questionnaire
from kaohe.management.demo_surveys import PROJECT_QUESTIONS
from kaohe.models import Membership, Question, Questionnaire, RatingAssignment, Unit
from kaohe.refusals import NotAllowed, Refused


def test_the_project_questionnaire_is_written_in_order_with_its_criteria_and_weights(db, admin):
    scheme = do_load_scheme("project", 2026)
    made = do_create_questionnaire(scheme, code="beneficiaries", name="受益人问卷", questions=PROJECT_QUESTIONS,
                                   acting_user=admin)
    written = list(made.questions.values_list("order", "kind", "rule__code", "weight", "required"))
    assert written == [(1, "rating", "goal.users", D(2), True), (2, "yes_no", "goal.users", D(1), True),
                       (3, "rating", "service.communication", D(1), True),
                       (4, "rating", "service.handling", D(2), True), (5, "yes_no", "service.handling", D(1), True),
                       (6, "text", None, D(1), False)]
    # every scored question rates a criterion of the scheme's questionnaire source
    source = scheme.sources.get(survey=True)
    assert {code for _o, _k, code, _w, _r in written if code} == set(source.criteria)


@pytest.mark.parametrize(("questions", "code"), [
    ([QuestionSpec("满意度", criterion="no.such")], "unknown_criterion"),
    ([QuestionSpec("满意度", criterion="goal.users"), QuestionSpec("意见", kind="text", criterion="goal.users")],
     "bad_question"),
    ([QuestionSpec("办事效率", kind="choice", criterion="goal.users", options=({"label": "快", "points": "100"},))],
     "bad_question"),
    ([], "questionnaire_empty"),
])
def test_a_bad_questionnaire_is_refused_and_nothing_is_written(db, admin, questions, code):
    scheme = do_load_scheme("project", 2026)
    with pytest.raises(Refused) as refused:
        do_create_questionnaire(scheme, code="q", name="问卷", questions=questions, acting_user=admin)
    assert refused.value.code == code
    if code == "bad_question":
        assert refused.value.params["n"] == len(questions)  # the bad one is the last question given
    assert not Questionnaire.objects.exists() and not Question.objects.exists()


def test_only_the_administrator_writes_a_questionnaire_and_a_code_once(db, admin, django_user_model):
    scheme = do_load_scheme("project", 2026)
    collector = django_user_model.objects.create_user("zhidao", "zhidao@example.invalid", "a-Long-pass-4821")
    Membership.objects.create(user=collector, role="collector")
    with pytest.raises(NotAllowed):
        do_create_questionnaire(scheme, code="q", name="问卷", questions=PROJECT_QUESTIONS, acting_user=collector)
    do_create_questionnaire(scheme, code="q", name="问卷", questions=PROJECT_QUESTIONS, acting_user=admin)
    with pytest.raises(Refused) as refused:
        do_create_questionnaire(scheme, code="q", name="问卷二", questions=PROJECT_QUESTIONS, acting_user=admin)
    assert refused.value.code == "questionnaire_exists"
    assert Questionnaire.objects.get().name == "问卷"


def test_a_rater_assigned_to_a_survey_group_cannot_submit_ratings(survey, admin, django_user_model):
    """An assignment made before its source was turned into a survey source submits nothing."""
    rater = django_user_model.objects.create_user("rater", "rater@example.invalid", "a-Long-pass-4821")
    group = survey.source.groups.get(code="enterprises")
    assignment = RatingAssignment.objects.create(round=survey.round, group=group, rater=rater,
                                                 ratee=Unit.objects.get(name="张三"))
    with pytest.raises(Refused) as refused:
        do_submit_ratings(assignment, {"2.1": ("A", "")}, acting_user=rater)
    assert refused.value.code == "survey_source" and survey.source.name in str(refused.value)
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
