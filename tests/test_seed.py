"""The shipped town scheme matches the rubric's contract: codes, kinds, amounts, bases."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from kaohe.models import EconomicIndicator, Indicator, Rule, Scheme, SchemeGroup

pytestmark = pytest.mark.django_db

# The rubric's table of rule codes, transcribed: code → (kind, amount) or (kind, (min, max)).
RUBRIC_RULES = {
    "1.1.a": ("one_off", "-2"), "1.3.a": ("per_occurrence", "5"), "1.3.b": ("per_occurrence", "3"),
    "2.a": ("per_occurrence", "2"), "2.b": ("per_occurrence", "-2"),
    "3.1.a": ("one_off", "-1"), "3.1.b": ("per_occurrence", "-0.5"), "3.1.c": ("discretionary", ("-3", "3")),
    "3.2.a": ("per_occurrence", "2"), "3.2.b": ("per_occurrence", "1"), "3.2.c": ("per_occurrence", "0.5"),
    "3.2.d": ("discretionary", ("-2", "0")),
    "3.3.a": ("per_occurrence", "4"), "3.3.b": ("per_occurrence", "2"), "3.3.c": ("per_occurrence", "1"),
    "3.4.a": ("per_occurrence", "1"), "3.4.b": ("per_occurrence", "0.5"), "3.4.c": ("per_occurrence", "1"),
    "3.4.d": ("per_occurrence", "0.5"), "3.4.e": ("per_occurrence", "1"), "3.4.f": ("per_occurrence", "0.5"),
    "3.4.g": ("per_occurrence", "1"), "3.4.h": ("per_occurrence", "0.5"), "3.4.i": ("per_occurrence", "1"),
    "3.4.j": ("per_occurrence", "0.5"), "3.4.k": ("one_off", "-1"), "3.4.l": ("one_off", "-1"),
    "4.a": ("per_occurrence", "2"), "4.b": ("per_occurrence", "4"),
    "5.a": ("one_off", "-1"), "5.b": ("proportional", "-2"),
    "6.1.a": ("per_occurrence", "-1"), "6.2.a": ("one_off", "-1"), "6.3.a": ("one_off", "-1"),
    "7.a": ("discretionary", ("-8", "0")),
    "8.1.a": ("per_occurrence", "-0.5"), "8.2.a": ("per_occurrence", "-1"), "8.3.a": ("per_occurrence", "-2"),
    "8.3.b": ("per_occurrence", "-1"), "8.4.a": ("discretionary", ("-4", "0")), "8.5.a": ("per_occurrence", "-1"),
    "9.1.a": ("discretionary", ("-2", "0")), "9.2.a": ("discretionary", ("-2", "0")),
    "9.3.a": ("per_occurrence", "-2"), "9.4.a": ("discretionary", ("-4", "0")), "9.5.a": ("one_off", "2"),
    "9.5.b": ("discretionary", ("-3", "0")), "9.6.a": ("per_occurrence", "-3"),
    "10.1.a": ("per_occurrence", "-1"), "10.2.a": ("one_off", "-1"), "10.2.b": ("count_threshold", None),
    "10.3.a": ("per_occurrence", "1"), "10.3.b": ("per_occurrence", "0.5"),
    "11.1.a": ("discretionary", ("-2", "0")), "11.2.a": ("discretionary", ("-2", "0")),
    "12.a": ("discretionary", ("-2", "0")),
    "veto.accident": ("veto", None), "veto.economy": ("economic_veto", None),
}
CATEGORY_BASES = {"1": 10, "2": 5, "3": 15, "4": 2, "5": 2, "6": 6, "7": 8, "8": 22, "9": 18, "10": 6, "11": 4, "12": 2}


def test_twelve_categories_one_hundred_points(town):
    categories = {i.code: i.base for i in Indicator.objects.filter(scheme=town, parent__isnull=True)}
    assert categories == {code: D(base) for code, base in CATEGORY_BASES.items()}
    assert sum(categories.values()) == D(100)


def test_every_rubric_rule_is_there_with_its_kind_and_amount(town):
    rules = {r.code: r for r in Rule.objects.filter(scheme=town)}
    for code, (kind, amount) in RUBRIC_RULES.items():
        rule = rules[code]
        assert rule.kind == kind, code
        if isinstance(amount, tuple):
            assert (rule.min_points, rule.max_points) == (D(amount[0]), D(amount[1])), code
        elif amount is not None:
            assert rule.amount == D(amount), code
    assert rules["10.2.b"].bands == [{"limit": "5", "points": "-2"}, {"limit": "7", "points": "-1"}]
    assert rules["1.2.a"].kind == "economic"
    assert set(rules) == set(RUBRIC_RULES) | {"1.2.a"}


def test_economic_indicators_weights_and_default_veto_set(town):
    found = {e.code: (e.weight, e.in_veto) for e in EconomicIndicator.objects.filter(scheme=town)}
    assert found == {
        "output": (D("1.6"), True), "revenue": (D("1.6"), True), "value_added": (D("1.6"), True),
        "profit": (D("1.6"), True), "investment": (D("1.6"), False),
    }


def test_groups_and_prize_quotas(town):
    quotas = {g.group.code: g.quotas() for g in SchemeGroup.objects.filter(scheme=town)}
    assert quotas == {"town": (1, 1, 1), "entity": (0, 0, 0), "direct": (0, 0, 0)}


def test_every_leaf_item_has_a_section_and_floor_zero(town):
    leaves = Indicator.objects.filter(scheme=town, children__isnull=True)
    assert leaves.count() == 31  # 3+1+4+1+1+3+1+5+6+3+2+1
    assert not leaves.filter(section__isnull=True).exists()
    assert set(leaves.values_list("floor", flat=True)) == {D(0)}


def test_loading_twice_is_harmless_and_any_year_works(town, capsys):
    call_command("load_seed_scheme", year=2026)
    assert Scheme.objects.count() == 1
    assert Rule.objects.filter(scheme=town).count() == len(RUBRIC_RULES) + 1
    call_command("load_seed_scheme", year=2027)
    assert Scheme.objects.get(code="town-2027").year == 2027
    assert "town-2027: 12 categories" in capsys.readouterr().out


def test_a_change_made_by_an_administrator_survives_no_reload_but_is_in_history(town):
    rule = Rule.objects.get(scheme=town, code="8.1.a")
    rule.amount = D("-1")
    rule.save()
    assert rule.history.count() == 2
    assert rule.history.first().amount == D("-1")


@pytest.mark.parametrize(("family", "dimensions", "group", "survey_groups"), [
    ("project", {"1": "30", "2": "25", "3": "25", "4": "20"}, "project", {"beneficiaries": 5, "participants": 3}),
    ("centre", {"1": "25", "2": "20", "3": "25", "4": "20", "5": "10"}, "centre", {"enterprises": 5}),
])
def test_the_project_and_centre_schemes_load_with_their_dimensions_and_questionnaire(family, dimensions, group,
                                                                                     survey_groups, capsys):
    call_command("load_seed_scheme", "--family", family, "--year", "2027")
    scheme = Scheme.objects.get(code=f"{family}-2027")
    assert scheme.method == "weighted" and scheme.family == family
    top = dict(Indicator.objects.filter(scheme=scheme, parent__isnull=True).values_list("code", "weight"))
    assert top == {code: D(weight) for code, weight in dimensions.items()}
    assert list(SchemeGroup.objects.filter(scheme=scheme).values_list("group__code", flat=True)) == [group]
    # each dimension mixes measured indicators and ratings, but the centre's staff competence (measured: it
    # comes from the employee appraisal) and its organisation and management (the panel's ratings alone)
    only = {("centre", "2"): {True}, ("centre", "5"): {False}}
    for code in dimensions:
        kinds = set(Rule.objects.filter(scheme=scheme, indicator__parent__code=code).values_list("kind", flat=True))
        expected = only.get((family, code), {True, False})
        assert {kind != "rating" for kind in kinds} == expected, (family, code)
    survey = scheme.sources.get(code="survey")
    assert dict(survey.groups.values_list("code", "min_raters")) == survey_groups
    panel = scheme.sources.get(code="panel").groups.get()
    assert panel.note_below == D(100)  # every panel rating (A 95 at best) needs its note
    assert scheme.grades.get(needs_plan=True).code == "不合格"
    assert capsys.readouterr().out.startswith(f"{family}-2027: {len(dimensions)} categories")
