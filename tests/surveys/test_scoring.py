"""Survey answers scored by hand: 1–5 and yes/no mapped to points, weights per question, each response's
criterion value, then the invitation groups as rater groups with their minimum (left out, renormalised)."""

from decimal import Decimal as D

from kaohe.actions.appraisal import do_import_ratings
from kaohe.actions.surveys import do_answer_survey
from kaohe.models import Answer, Question, Response, SurveyScore
from kaohe.scoring.survey import criterion_values
from kaohe.services.scoring import score
from tests.imports.helpers import csv_bytes

from .fixtures import answers


def test_a_criterion_value_is_the_weighted_mean_of_its_answers_rounded_half_up():
    # (2 × 80 + 1 × 100) / 3 = 86.666… → 86.67; a criterion answered by one question is that answer
    assert criterion_values([("2.1", D(2), D(80)), ("2.1", D(1), D(100)), ("1.1", D(1), D(60))]) == {
        "2.1": D("86.67"), "1.1": D("60.00")}
    assert criterion_values([]) == {}


def test_letters_follow_the_schemes_scale(survey, tokens):
    questionnaire = survey.questionnaire
    questionnaire.letters = True
    questionnaire.save()
    questions = list(questionnaire.questions.all())
    do_answer_survey(tokens[("张三", "enterprises")][0], answers(questions, q1="B", q2="no"))
    # B is 85 on the employee scheme's scale; no is 0: (2 × 85 + 0) / 3 = 56.666… → 56.67
    assert list(SurveyScore.objects.values_list("value", flat=True)) == [D("56.67")]


def test_survey_sources_above_and_under_their_minimum(survey, tokens):
    questions = list(survey.questionnaire.questions.all())
    zhang_e, zhang_b = tokens[("张三", "enterprises")], tokens[("张三", "beneficiaries")]
    li_e = tokens[("李四", "enterprises")]
    do_answer_survey(zhang_e[0], answers(questions, q1="5", q2="yes", q3="一般", q4="态度很好"))
    do_answer_survey(zhang_e[1], answers(questions, q1="3", q2="no", q3="快"))
    do_answer_survey(zhang_b[0], answers(questions, q1="4", q2="yes"))
    do_answer_survey(li_e[0], answers(questions, q1="2", q2="yes"))
    # each response's criterion values: 2.1 = (2 × q1 + q2) / 3 with q1 = 20 × stars, yes 100, no 0
    #   张三 enterprises: (200 + 100) / 3 = 100.00 and (120 + 0) / 3 = 40.00; 1.1: 60 and 100
    #   张三 beneficiaries: (160 + 100) / 3 = 86.67 (1 response, minimum 3: left out); 1.1 not answered
    #   李四 enterprises: (80 + 100) / 3 = 60.00 (1 response, minimum 2: the whole survey source is left out)
    assert sorted(SurveyScore.objects.filter(rule__code="2.1").values_list("value", flat=True)) == [
        D("40.00"), D("60.00"), D("86.67"), D("100.00")]
    rows = ("ratee,criterion,source,group,rater,rating,period\n"
            "张三,2.1,quarterly,,主管,A,2026-Q4\n李四,2.1,quarterly,,主管,B,2026-Q4\n")
    do_import_ratings(csv_bytes(rows), "q.csv", survey.round.scheme)
    result = score(survey.round.scheme)
    zhang, li = result.unit("张三"), result.unit("李四")
    # 张三 2.1: quarterly A = 95 (weight 30); survey = enterprises only, (100 + 40) / 2 = 70 (weight 20);
    # self (15) has nothing → (30 × 95 + 20 × 70) / 50 = 85.00
    assert zhang.items["2.1"].score == D("85.00")
    detail = zhang.items["2.1"].lines[0].detail
    used = {s["source"]: s for s in detail["sources"]}
    assert used["survey"]["score"] == D(70)
    assert used["survey"]["short"] == [{"group": "beneficiaries", "raters": 1, "minimum": 3}]
    # 张三 1.1: survey only (enterprises (60 + 100) / 2 = 80), every other source empty → 80.00
    assert zhang.items["1.1"].score == D("80.00")
    # 李四 2.1: the survey is under its minimum → left out; quarterly B = 85 alone → 85.00, and the result says so
    assert li.items["2.1"].score == D("85.00")
    missing = {m["source"] for m in li.items["2.1"].lines[0].detail["missing"]}
    assert missing == {"survey", "self"} and li.items["2.1"].lines[0].detail["renormalised"] is True
    assert {"item": "2.1", "renormalised": ["survey", "self"]} in li.notes
    assert "survey" not in {m["source"] for m in detail["missing"]}


def test_an_answer_keeps_no_respondent_identity(survey, tokens):
    # what is stored of an answer: the unit, the invitation group and the day; nothing points at the invitation
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id", "survey", "questionnaire", "unit", "group", "date", "via", "batch"}
    assert {f.name for f in Answer._meta.concrete_fields} == {"id", "response", "question", "choice", "points", "text"}
    questions = list(Question.objects.filter(questionnaire=survey.questionnaire))
    do_answer_survey(tokens[("张三", "enterprises")][0], answers(questions, q1="5", q2="yes"))
    assert Response.objects.get().group == "enterprises"


def test_an_answer_changes_the_rounds_cached_result(survey, tokens):
    from kaohe.services.ranking import fingerprint, scored_round

    round_ = survey.round
    before_key = fingerprint(round_)
    before = scored_round(round_).unit("张三")
    assert "2.1" not in before.items  # nothing rates 2.1 yet: the criterion is left out
    questions = list(survey.questionnaire.questions.all())
    do_answer_survey(tokens[("张三", "enterprises")][0], answers(questions, q1="5", q2="yes"))
    do_answer_survey(tokens[("张三", "enterprises")][1], answers(questions, q1="4", q2="no"))
    assert fingerprint(round_) != before_key
    # enterprises: (200 + 100) / 3 = 100.00 and (160 + 0) / 3 = 53.33 → 76.665 → 76.67 (the only source of 2.1)
    assert scored_round(round_).unit("张三").items["2.1"].score == D("76.67")
