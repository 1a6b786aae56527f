"""The public answer page: a token answers once; a replayed, forged or over-long token gets one plain sentence
(never a 500, never a hint about other invitations); requests are limited per token and per address; CSRF
protection works for anonymous visitors."""

import re

import pytest
from django.test import Client

from kaohe.actions.transitions import do_transition
from kaohe.desk import answer_limits
from kaohe.models import Invitation, Membership, Response, ScoreSheet, SurveyScore


def form(client, token):
    page = client.get(f"/s/{token}/")
    assert page.status_code == 200
    return page.content.decode()


def field_names(html: str) -> dict[str, str]:
    """question order → the form field's name, read from the page."""
    found = re.findall(r'id="question-(\d+)".*?name="(q\d+)"', html, re.S)
    return dict(found)


def test_the_page_is_chinese_for_phones_and_answers_once(survey, tokens):
    client = Client()
    token = tokens[("张三", "enterprises")][0]
    html = form(client, token)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "客户满意度问卷" in html and "张三" in html and "<script" not in html
    names = field_names(html)
    posted = client.post(f"/s/{token}/", {names["1"]: "4", names["2"]: "yes", names["4"]: "很好"})
    assert posted.status_code == 200 and "您的回答已收到" in posted.content.decode()
    assert Response.objects.count() == 1 and Invitation.objects.filter(used=True).count() == 1
    # (2 × 80 + 100) / 3 = 86.67 on 2.1; 1.1 unanswered
    assert [str(v) for v in SurveyScore.objects.values_list("value", flat=True)] == ["86.67"]
    again = client.post(f"/s/{token}/", {names["1"]: "1", names["2"]: "no"})  # a replay
    assert again.status_code == 410 and "已经填写" in again.content.decode()
    assert Response.objects.count() == 1 and SurveyScore.objects.count() == 1
    assert client.get(f"/s/{token}/").status_code == 410


def test_a_missing_answer_is_named_and_nothing_is_saved(survey, tokens):
    client = Client()
    token = tokens[("张三", "enterprises")][0]
    names = field_names(form(client, token))
    posted = client.post(f"/s/{token}/", {names["2"]: "yes", names["3"]: "快"})
    assert posted.status_code == 422
    html = posted.content.decode()
    assert "请回答此问题" in html and 'value="快" checked' in html  # what was ticked is kept
    assert Response.objects.count() == 0 and not Invitation.objects.filter(used=True).exists()


@pytest.mark.parametrize("forged", ["x", "A" * 32, "A" * 500, "%00", "令牌", "a.b"])
def test_a_forged_token_gets_one_sentence_and_nothing_else(survey, tokens, forged):
    client = Client()
    for response in (client.get(f"/s/{forged}/"), client.post(f"/s/{forged}/", {"q1": "5"})):
        assert response.status_code in (404,)
        html = response.content.decode()
        assert "链接无效" in html and "张三" not in html and "客户满意度" not in html
    assert Response.objects.count() == 0


def test_requests_are_limited_per_token_and_per_address(survey, tokens, monkeypatch):
    monkeypatch.setattr(answer_limits, "PER_TOKEN", 3)
    monkeypatch.setattr(answer_limits, "PER_ADDRESS", 5)
    first, second = tokens[("张三", "enterprises")][:2]
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert [client.get(f"/s/{first}/").status_code for _n in range(4)] == [200, 200, 200, 429]
    # another link from the same address: two more before the address's limit of 5
    assert [client.get(f"/s/{second}/").status_code for _n in range(2)] == [200, 429]
    assert "请十分钟后再试" in client.get(f"/s/{second}/").content.decode()
    # the same link from another address is still over its own limit; a fresh one from there is not
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.get(f"/s/{first}/").status_code == 429
    assert other.get(f"/s/{tokens[('李四', 'enterprises')][0]}/").status_code == 200
    assert Response.objects.count() == 0


def test_csrf_protection_holds_for_anonymous_visitors(survey, tokens):
    client = Client(enforce_csrf_checks=True)
    token = tokens[("张三", "enterprises")][0]
    html = form(client, token)
    names = field_names(html)
    refused = client.post(f"/s/{token}/", {names["1"]: "5", names["2"]: "yes"})
    assert refused.status_code == 403 and Response.objects.count() == 0
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    accepted = client.post(f"/s/{token}/", {"csrfmiddlewaretoken": csrf, names["1"]: "5", names["2"]: "yes"})
    assert accepted.status_code == 200 and Response.objects.count() == 1


def test_a_closed_round_takes_no_more_answers(survey, tokens):
    survey.round.state = "collected"
    survey.round.save()
    client = Client()
    token = tokens[("张三", "enterprises")][0]
    names = field_names(form(client, token))
    posted = client.post(f"/s/{token}/", {names["1"]: "5", names["2"]: "yes"})
    assert posted.status_code == 409 and "不再接受" in posted.content.decode()
    assert Response.objects.count() == 0


def test_a_submitted_sheet_locks_the_answers_that_feed_it(survey, tokens, admin, django_user_model):
    staff = django_user_model.objects.create_user("hr", "hr@example.invalid", "a-Long-pass-4821")
    sheet = ScoreSheet.objects.get(round=survey.round, unit__name="张三")
    Membership.objects.create(user=staff, role="staff", section=sheet.section)
    do_transition(sheet, "submit", acting_user=staff)
    client = Client()
    token, other = tokens[("张三", "enterprises")][0], tokens[("李四", "enterprises")][0]
    names = field_names(form(client, token))
    posted = client.post(f"/s/{token}/", {names["1"]: "5", names["2"]: "yes"})
    assert posted.status_code == 409 and "不再接受" in posted.content.decode()
    assert not SurveyScore.objects.exists() and not Invitation.objects.filter(used=True).exists()
    # 李四's sheet is still a draft: his respondents still answer, dated by the end of the round's period
    posted = client.post(f"/s/{other}/", {names["1"]: "5", names["2"]: "yes"})
    assert posted.status_code == 200
    assert [str(d) for d in SurveyScore.objects.values_list("date", flat=True)] == ["2026-12-31"]
