"""The bureau's survey pages: invitations printed one page each with a QR code that opens the answer page,
results as the bureau and as the unit (its own aggregates, no respondent identity), paper forms all or nothing,
questionnaire versions, and ``survey = true`` in a scheme file."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from kaohe.actions.records import do_save_record
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.surveys import do_answer_survey, do_import_paper_forms, do_new_questionnaire_version
from kaohe.imports.errors import ImportRejected
from kaohe.models import Invitation, Membership, Question, Questionnaire, RatingSource, Response, Round, SurveyScore
from kaohe.refusals import Refused
from kaohe.services.scheme_yaml import export_scheme
from tests.conftest import fresh
from tests.imports.helpers import csv_bytes, xlsx_bytes
from tests.printing.helpers import pdf_pages, pdf_text, qr_codes

from .fixtures import answers


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_invitations_print_one_page_each_and_the_qr_code_opens_the_answer_page(survey, admin, unit_ids):
    client = logged_in(admin)
    posted = client.post(f"/surveys/{survey.pk}/invite/", {"group": "enterprises", "count": "2",
                                                          "unit": [unit_ids["张三"], unit_ids["李四"]]})
    assert posted.status_code == 200 and posted["Content-Type"] == "application/pdf"
    pdf = posted.content
    assert pdf_pages(pdf) == 4  # 2 respondents × 2 units, one page each
    text = pdf_text(pdf)
    assert text.count("尊敬的企业") == 4 and "张三" in text and "李四" in text
    urls = qr_codes(pdf)
    assert len(urls) == 4 and len(set(urls)) == 4 and all(u.startswith("http://testserver/s/") for u in urls)
    assert Invitation.objects.filter(survey=survey).count() == 4
    # only hashes are stored: no printed token is in the database
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    assert not {u.rstrip("/").rsplit("/", 1)[1] for u in urls} & stored
    page = Client().get(urls[0].removeprefix("http://testserver"))
    assert page.status_code == 200 and "客户满意度问卷" in page.content.decode()


def test_only_the_bureau_invites(survey, unit_ids, django_user_model):
    zhang = django_user_model.objects.get(username="zhangsan")
    posted = logged_in(zhang).post(f"/surveys/{survey.pk}/invite/", {"group": "enterprises", "count": "1",
                                                                     "unit": [unit_ids["张三"]]})
    assert posted.status_code in (403, 404) and not Invitation.objects.exists()


def test_the_unit_sees_its_own_aggregates_and_comments_and_no_identity(survey, tokens, admin, django_user_model):
    questions = list(survey.questionnaire.questions.all())
    zhang_tokens, li_tokens = tokens[("张三", "enterprises")], tokens[("李四", "enterprises")]
    do_answer_survey(zhang_tokens[0], answers(questions, q1="5", q2="yes", q4="窗口服务热情"))
    do_answer_survey(zhang_tokens[1], answers(questions, q1="3", q2="no", q3="慢"))
    do_answer_survey(li_tokens[0], answers(questions, q1="1", q2="no", q4="李四办事拖拉"))
    zhang = django_user_model.objects.get(username="zhangsan")
    assert logged_in(zhang).get(f"/surveys/{survey.pk}/").status_code == 404  # not before its result is out
    Round.objects.filter(pk=survey.round_id).update(published_at=timezone.now())
    page = logged_in(zhang).get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "窗口服务热情" in html and "李四办事拖拉" not in html and "李四" not in html
    for token in (*zhang_tokens, *li_tokens):
        assert token not in html
    for digest in Invitation.objects.values_list("token_hash", flat=True):
        assert digest not in html
    # 张三: 6 invited (3 enterprises, 3 beneficiaries), 2 answered → 33.3 %; 2.1: mean of 100 and 40 = 70.00;
    # 1.1 only from the form that ticked 慢 (20), one response under the minimum of 2
    rates = page.context["results"].rates
    assert [(r.unit, r.invited + 0, r.answered, str(r.rate)) for r in rates] == [("张三", 6, 2, "33.3")]
    criteria = {(c.criterion, c.group): (c.responses, str(c.mean), c.counts) for c in page.context["results"].criteria}
    assert criteria == {("2.1", "enterprises"): (2, "70.00", True), ("1.1", "enterprises"): (1, "20.00", False)}
    # no page of the unit names another unit's survey; the bureau sees both units
    bureau = logged_in(admin).get(f"/surveys/{survey.pk}/").content.decode()
    assert "李四办事拖拉" in bureau and "窗口服务热情" in bureau
    li = django_user_model.objects.get(username="lisi")
    assert "窗口服务热情" not in logged_in(li).get(f"/surveys/{survey.pk}/").content.decode()


def test_a_person_who_is_not_asked_about_sees_no_survey(survey, django_user_model, scheme):
    outsider = django_user_model.objects.create_user("wangfang", "w@example.invalid", "a-Long-pass-4821")
    from kaohe.models import Unit, UnitGroup

    unit = Unit.objects.create(name="王芳", group=UnitGroup.objects.get(code="yewu"))
    Membership.objects.create(user=outsider, role="unit", unit=unit)
    client = logged_in(outsider)
    assert client.get(f"/surveys/{survey.pk}/").status_code == 404
    assert survey.name not in client.get("/surveys/").content.decode()


PAPER_HEADER = ["token", "group", "unit", "1", "2", "3", "4"]


def test_paper_forms_import_all_or_nothing_and_name_every_bad_row(survey, tokens, admin):
    zhang_b = tokens[("张三", "beneficiaries")]
    used = tokens[("张三", "enterprises")][0]
    do_answer_survey(used, answers(list(survey.questionnaire.questions.all()), q1="4", q2="yes"))
    bad = xlsx_bytes([PAPER_HEADER,
                      [zhang_b[0], "", "", "5", "是", "快", "好"],           # good
                      ["", "beneficiaries", "张三", "6", "是", "", ""],       # 6 is no rating
                      ["", "visitors", "张三", "4", "否", "", ""],            # unknown group
                      ["", "beneficiaries", "无名", "4", "否", "", ""],       # unknown unit
                      [used, "", "", "4", "是", "", ""],                     # already answered online
                      ["forged-token", "", "", "4", "是", "", ""],           # no such invitation
                      [zhang_b[0], "", "", "3", "是", "", ""],               # the same invitation twice
                      ["", "beneficiaries", "张三", "4", "也许", "中", ""]])  # neither yes nor no, no such option
    with pytest.raises(ImportRejected) as rejected:
        do_import_paper_forms(bad, "paper.xlsx", survey, acting_user=fresh(admin))
    assert [(e.line, e.column, e.code) for e in rejected.value.errors] == [
        (3, "1", "bad_answer"), (4, "group", "unknown_group"), (5, "unit", "unknown_unit"),
        (6, "token", "token_used"), (7, "token", "unknown_token"), (8, "token", "token_twice"),
        (9, "2", "bad_answer"), (9, "3", "bad_answer")]
    assert Response.objects.count() == 1 and Invitation.objects.filter(used=True).count() == 1
    good = xlsx_bytes([PAPER_HEADER,
                       [zhang_b[0], "", "", "5", "是", "快", "好"],
                       ["", "beneficiaries", "张三", "２", "否", "", ""],   # a full-width digit typed by an IME
                       ["", "beneficiaries", "张三", "4", "是", "一般", ""]])
    outcome = do_import_paper_forms(good, "paper.xlsx", survey, acting_user=fresh(admin))
    assert outcome.rows == 3 and Response.objects.filter(via="paper").count() == 3
    assert Invitation.objects.filter(used=True).count() == 2  # the token on the first form is spent
    # 2.1 of the three forms: (200 + 100) / 3 = 100.00, (80 + 0) / 3 = 26.67, (160 + 100) / 3 = 86.67
    values = sorted(SurveyScore.objects.filter(group="beneficiaries", rule__code="2.1").values_list("value", flat=True))
    assert [str(v) for v in values] == ["26.67", "86.67", "100.00"]
    assert Client().get(f"/s/{zhang_b[0]}/").status_code == 410


def test_a_csv_of_paper_forms_works_too(survey, admin):
    rows = "group,unit,1,2\nenterprises,李四,5,yes\n"
    outcome = do_import_paper_forms(csv_bytes(rows), "paper.csv", survey, acting_user=fresh(admin))
    assert outcome.rows == 1 and str(SurveyScore.objects.get().value) == "100.00"


def test_an_answered_questionnaire_changes_only_as_a_new_version(survey, tokens, admin):
    questionnaire = survey.questionnaire
    question = questionnaire.questions.get(order=1)
    question.text = "总体满意度(改)"
    assert do_save_record(question, acting_user=fresh(admin)).text == "总体满意度(改)"  # no answers yet
    do_answer_survey(tokens[("张三", "enterprises")][0],
                     answers(list(questionnaire.questions.all()), q1="5", q2="yes"))
    question.text = "再改"
    with pytest.raises(Refused) as refused:
        do_save_record(question, acting_user=fresh(admin))
    assert refused.value.code == "questionnaire_answered"
    assert Question.objects.get(pk=question.pk).text == "总体满意度(改)"
    second = do_new_questionnaire_version(questionnaire, acting_user=fresh(admin))
    assert (second.code, second.version, second.questions.count()) == ("customers", 2, 4)
    copy = second.questions.get(order=1)
    copy.text = "再改"
    do_save_record(copy, acting_user=fresh(admin))
    # the old answers keep their version and its wording
    response = Response.objects.get()
    assert response.questionnaire_id == questionnaire.pk
    assert response.answers.get(question__order=1).question.text == "总体满意度(改)"


def test_a_scheme_file_says_which_source_a_survey_feeds(db, tmp_path):
    text = Path("fixtures/schemes/employee.toml").read_text(encoding="utf-8")
    marked = text.replace('calendar = "half_yearly"\n', 'calendar = "half_yearly"\nsurvey = true\n', 1)
    assert marked != text
    path = tmp_path / "employee.toml"
    path.write_text(marked, encoding="utf-8")
    scheme = do_load_scheme("employee", 2027, path)
    assert dict(RatingSource.objects.filter(scheme=scheme).values_list("code", "survey")) == {
        "quarterly": False, "survey": True, "review360": False, "spot": False, "self": False}
    assert "survey: true" in export_scheme(scheme)


def test_the_command_line_invites_and_imports_paper_forms(survey, tmp_path, capsys):
    from django.core.management import call_command

    out = tmp_path / "invitations.pdf"
    call_command("invite_respondents", "--survey", str(survey.pk), "--group", "beneficiaries", "--count", "2",
                 "--unit", "李四", "--out", str(out))
    urls = qr_codes(out.read_bytes())
    assert len(urls) == 2 and Invitation.objects.filter(unit__name="李四", group="beneficiaries").count() == 2
    token = urls[0].rstrip("/").rsplit("/", 1)[1]
    paper = tmp_path / "paper.csv"
    paper.write_text(f"token,1,2\n{token},3,no\n", encoding="utf-8")
    call_command("import_survey_answers", str(paper), "--survey", str(survey.pk))
    # (2 × 60 + 0) / 3 = 40.00 on 2.1 for 李四's beneficiaries
    assert [(s.unit.name, s.group, str(s.value)) for s in SurveyScore.objects.all()] == [("李四", "beneficiaries",
                                                                                        "40.00")]
    assert Invitation.objects.filter(used=True).count() == 1


def test_a_question_must_fit_its_scheme(survey, admin):
    from kaohe.models import Rule

    questionnaire = survey.questionnaire
    text = questionnaire.questions.get(order=4)
    text.rule = Rule.objects.get(scheme=survey.round.scheme, code="2.1")
    choice = questionnaire.questions.get(order=3)
    choice.options = [{"label": "快", "points": "120"}, {"label": "慢", "points": "0"}]
    single = questionnaire.questions.get(order=3)
    single.options = [{"label": "快", "points": "100"}]
    for question, code in ((text, "invalid"), (choice, "invalid"), (single, "invalid")):
        with pytest.raises(Refused) as refused:
            do_save_record(question, acting_user=fresh(admin))
        assert refused.value.code == code
    assert questionnaire.questions.get(order=4).rule_id is None


def test_the_print_editor_previews_the_invitation_with_a_specimen_that_answers_nothing(survey, admin):
    from kaohe.printing.render import current_format

    fmt = current_format("survey_invitation")
    form = {"code": fmt.code, "name": fmt.name, "subject": fmt.subject, "template": fmt.template, "css": fmt.css,
            "page_size": fmt.page_size, "orientation": fmt.orientation, "letterhead": fmt.letterhead,
            "letterhead_image": "", "enabled": "on", "round": survey.round.pk, "unit": "", "section": ""}
    html = logged_in(admin).post("/print/preview/", form).content.decode()
    assert "尊敬的企业" in html and "/s/SPECIMEN/" in html and "2026年客户满意度调查" in html
    assert not Invitation.objects.exists()
    assert Client().get("/s/SPECIMEN/").status_code == 404


def admin_post(questionnaire, **text_by_order) -> dict:
    """The admin's change form of ``questionnaire`` as posted, with some questions' text changed."""
    questions = list(questionnaire.questions.all())
    data = {"scheme": questionnaire.scheme_id, "code": questionnaire.code, "name": questionnaire.name,
            "intro": questionnaire.intro, "questions-TOTAL_FORMS": len(questions),
            "questions-INITIAL_FORMS": len(questions), "questions-MIN_NUM_FORMS": 0, "questions-MAX_NUM_FORMS": 1000}
    for n, q in enumerate(questions):
        data.update({f"questions-{n}-id": q.pk, f"questions-{n}-questionnaire": questionnaire.pk,
                     f"questions-{n}-order": q.order, f"questions-{n}-text": text_by_order.get(f"q{q.order}", q.text),
                     f"questions-{n}-kind": q.kind, f"questions-{n}-options": json.dumps(q.options, ensure_ascii=False),
                     f"questions-{n}-rule": q.rule_id or "", f"questions-{n}-weight": str(q.weight)})
        if q.required:
            data[f"questions-{n}-required"] = "on"
    return data


def test_saving_an_answered_questionnaire_in_the_admin_makes_the_next_version(survey, tokens, admin):
    questionnaire = survey.questionnaire
    admin.is_superuser = True  # the admin site asks for Django's model permissions
    admin.save(update_fields=["is_superuser"])
    client = logged_in(admin)
    url = f"/admin/kaohe/questionnaire/{questionnaire.pk}/change/"
    assert client.post(url, admin_post(questionnaire, q1="总体满意度")).status_code == 302  # no answers: in place
    assert questionnaire.questions.get(order=1).text == "总体满意度" and questionnaire.version == 1
    do_answer_survey(tokens[("张三", "enterprises")][0], answers(list(questionnaire.questions.all()), q1="5", q2="yes"))
    assert client.post(url, admin_post(questionnaire, q1="您对窗口服务满意吗")).status_code == 302
    second = Questionnaire.objects.get(code="customers", version=2)
    assert [q.text for q in second.questions.all()][:2] == ["您对窗口服务满意吗", "问题是否得到解决"]
    assert second.questions.count() == 4
    # the answered version and its answers are as they were
    assert questionnaire.questions.get(order=1).text == "总体满意度"
    assert Response.objects.get().questionnaire_id == questionnaire.pk
