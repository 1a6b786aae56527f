"""Names, not codes: each page a person reads shows the name, with the code as a small secondary label, in the
Chinese UI and in the English UI alike."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from kaohe.actions.ledger import do_record_entry
from kaohe.actions.sheets import AmountChange, do_set_amounts
from kaohe.actions.transitions import do_transition
from kaohe.models import Indicator, LedgerEntry, ScoreSheet

from .conftest import fresh

BOTH = [("zh-hans", "zh"), ("en", "en")]


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request in English leaves English active in this thread (LocaleMiddleware); later tests expect the default."""
    yield
    translation.deactivate()


def page(client, user, url, language):
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def render(source, language, **context):
    with translation.override(language):
        return Template("{% load kaohe_tags %}" + source).render(Context(context))


@pytest.fixture
def late_report(round_, people):
    """One ledger row under 8.1.a (财统科), recorded by the section's staff."""
    people["staff"].first_name = "王经办"  # as load_demo stores a display name
    people["staff"].save()
    cells = {"unit": "城关镇", "rule": "8.1.a", "quantity": "1", "points": "", "date": "2026-03-01", "note": "迟报"}
    do_record_entry(round_.scheme, cells=cells, acting_user=fresh(people["staff"]))
    return round_.scheme.rules.get(code="8.1.a")


@pytest.mark.parametrize("language", [code for code, _ in BOTH])
def test_the_ledger_list_names_the_rule_and_the_person(client, round_, people, late_report, language):
    html = page(client, people["staff"], reverse("kaohe:ledger") + f"?scheme={round_.scheme.code}", language)
    assert f'{late_report.name} <small class="code muted">8.1.a</small>' in html
    assert "王经办" in html  # who recorded it, by name


@pytest.mark.parametrize("language", [code for code, _ in BOTH])
def test_the_score_explanation_names_the_rule(client, round_, people, late_report, language):
    sheet = ScoreSheet.objects.get(round=round_, section__code="caitong", unit__name="城关镇")
    html = page(client, people["staff"], reverse("kaohe:sheet", args=[sheet.pk]), language)
    assert f'{late_report.name} <small class="code muted">8.1.a</small>:' in html


@pytest.mark.parametrize("language", [code for code, _ in BOTH])
def test_ranking_headers_name_the_categories(client, round_, people, language):
    category = Indicator.objects.get(scheme=round_.scheme, code="8")
    html = page(client, people["collector"], reverse("kaohe:ranking", args=[round_.pk]), language)
    shown = Truncator(category.name).chars(8)  # short in the header, whole in its title
    assert f'<th title="8 {category.name}">{shown} <small class="code muted">8</small></th>' in html


def test_veto_reasons_and_indicator_keys_are_named():
    names = {"output": "工业总产值"}
    source = "{{ code|named:rules }} ({{ key|named:economic }})"
    zh = render(source, "zh-hans", code="veto.economy", key="output", rules={}, economic=names)
    en = render(source, "en", code="veto.economy", key="output", rules={}, economic=names)
    assert zh == '经济指标未完成（一票否决） <small class="code muted">veto.economy</small> ' \
                 '(工业总产值 <small class="code muted">output</small>)'
    assert en.startswith('economic target missed (one-vote veto) <small class="code muted">veto.economy</small>')


def test_rater_groups_sources_and_grade_reasons_are_named():
    groups = {"superior": "直接上级"}
    assert render("{{ g|named:groups }}", "en", g="superior", groups=groups) == \
        '直接上级 <small class="code muted">superior</small>'
    assert render("{{ g|named:groups }}", "en", g="self", groups={}) == \
        'self-assessment <small class="code muted">self</small>'  # the shipped groups are named everywhere
    assert render("{{ g|named:groups }}", "en", g="guests", groups={}) == "guests"  # unnamed: the code, not a blank
    assert render("{{ s|named_each:sources }}", "zh-hans", s=["spot", "self"],
                  sources={"spot": "随机抽查", "self": "自评"}) == "随机抽查、自评"
    assert render("{{ r|named:rules }}", "zh-hans", r="quota", rules={}) == \
        '该等次名额已满 <small class="code muted">quota</small>'
    assert render("{{ r|named:rules }}", "en", r="quota", rules={}).startswith("the grade&#x27;s quota is full")


@pytest.mark.parametrize("language,first,fourth", [("zh-hans", "一等奖", "4等奖"), ("en", "first prize", "prize 4")])
def test_prizes_read_as_words(language, first, fourth):
    assert render("{{ 1|prize_name }}|{{ 4|prize_name }}|{{ None|prize_name }}", language) == f"{first}|{fourth}|"


@pytest.mark.parametrize("language,signed,head,step", [("zh-hans", "已签署", "分管领导", "签署"),
                                                        ("en", "signed", "section head", "sign")])
def test_signatures_and_route_log_name_the_person_and_role(client, round_, people, language, signed, head, step):
    for who, name in {"staff": "王经办", "head": "李分管"}.items():
        people[who].first_name = name
        people[who].save()
    sheet = ScoreSheet.objects.get(round=round_, section__code="caitong", unit__name="城关镇")
    do_transition(sheet, "submit", acting_user=fresh(people["staff"]))
    do_transition(ScoreSheet.objects.get(pk=sheet.pk), "sign", acting_user=fresh(people["head"]))
    html = page(client, people["head"], reverse("kaohe:sheet", args=[sheet.pk]), language)
    assert f'id="sheet-state">{signed}</span>' in html
    assert f"李分管 · {head} ·" in html  # the signature
    assert "李分管（" in html or "李分管 (" in html  # the route log: name (role)
    assert f"{step} " in html
    assert "· head ·" not in html and "· head " not in html


@pytest.mark.parametrize("language,header", [("zh-hans", "界限"), ("en", "limit")])
def test_rule_bands_are_a_table(client, round_, people, language, header):
    html = page(client, people["collector"], reverse("kaohe:scheme_editor", args=[round_.scheme.code]), language)
    assert f'<table class="bands small"><tr><th>{header}</th>' in html
    assert "[{&#x27;limit&#x27;" not in html and "[{'limit'" not in html


def test_a_grid_amount_is_dated_by_the_period_it_scores(round_, people):
    sheet = ScoreSheet.objects.get(round=round_, section__code="anquan", unit__name="城关镇")
    rule = round_.scheme.rules.get(code="7.a")
    do_set_amounts([AmountChange(sheet, rule, D("-2"), "台帐不全", sheet.version)], acting_user=fresh(people["staff2"]))
    assert LedgerEntry.objects.get(rule=rule, unit__name="城关镇").date == date(2026, 12, 31)  # the year-end round


@pytest.mark.parametrize("language,draft,submit", [("zh-hans", "草稿", "提交"), ("en", "draft", "submit")])
def test_state_pills_and_steps_read_in_the_page_language(client, round_, people, language, draft, submit):
    sheet = ScoreSheet.objects.get(round=round_, section__code="caitong", unit__name="城关镇")
    html = page(client, people["staff"], reverse("kaohe:sheet", args=[sheet.pk]), language)
    assert f'id="sheet-state">{draft}</span>' in html
    assert re.search(f'id="sheet-submit"[^>]*>{submit}</button>', html)  # (its confirmation in an attribute)


@pytest.mark.parametrize("language", [code for code, _ in BOTH])
def test_grid_headers_name_items_and_rules(client, round_, people, language):
    html = page(client, people["staff2"], reverse("kaohe:grid", args=[round_.pk, "anquan"]), language)
    rule = round_.scheme.rules.get(code="7.a")
    # the name, cut short (with the language's ellipsis), then the code as a small label
    assert f'title="7.a {rule.name}">{rule.name[:10]}' in html
    assert re.search(r'title="7\.a [^"]+">[^<]+ <small class="code muted">7\.a</small>', html)


@pytest.mark.parametrize("language,expected", [("zh-hans", "数量: 次数不能为负数"),
                                               ("en", "Quantity: a count cannot be negative")])
def test_ledger_form_errors_name_the_field_in_the_page_language(client, round_, people, language, expected):
    client.force_login(people["staff"])
    url = reverse("kaohe:ledger_new") + f"?scheme={round_.scheme.code}"
    cells = {"scheme": round_.scheme.code, "unit": "城关镇", "rule": "8.1.a", "quantity": "-1", "date": "2026-03-01",
             "note": "迟报"}
    html = client.post(url, cells, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert expected in html
