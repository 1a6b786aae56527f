"""Schemes through the API: read by the bureau, changed only by an administrator through the scheme editor's
forms and ``do_save_record`` (locks, validation, audit)."""

from decimal import Decimal as D

import pytest

from kaohe.models import AuditEvent, Indicator, Rule

pytestmark = pytest.mark.django_db

RULE = "/api/v1/schemes/town-2026/rules/8.1.a/"


def test_the_scheme_with_its_items_and_rules(api, people, round_):
    data = api(people["staff"]).get("/api/v1/schemes/town-2026/").json()
    assert data["code"] == "town-2026" and data["year"] == 2026
    rules = {r["code"]: r for r in data["rules"]}
    assert D(rules["8.1.a"]["amount"]) == D("-0.5") and rules["8.1.a"]["indicator"] == "8.1"
    assert sum(D(i["base"]) for i in data["indicators"] if i["parent"] is None) == 100


def test_an_administrator_changes_a_rule_with_its_audit(api, people, round_):
    answer = api(people["admin"]).patch(RULE, {"amount": "-1"}, format="json")
    assert answer.status_code == 200 and D(answer.json()["amount"]) == -1
    assert Rule.objects.get(scheme__code="town-2026", code="8.1.a").amount == -1
    assert AuditEvent.objects.filter(action="rule.change", user=people["admin"]).count() == 1


def test_a_bad_value_is_400_by_field_and_nothing_changes(api, people, round_):
    answer = api(people["admin"]).patch(RULE, {"amount": "abc"}, format="json")
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["amount"]
    assert Rule.objects.get(scheme__code="town-2026", code="8.1.a").amount == D("-0.5")
    unknown = api(people["admin"]).patch("/api/v1/schemes/town-2026/items/8.1/", {"section": "nowhere"},
                                         format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["code"] == "unknown_section"
    assert not AuditEvent.objects.filter(action__in=["rule.change", "indicator.change"]).exists()


def test_an_item_moves_to_another_section(api, people, round_):
    answer = api(people["admin"]).patch("/api/v1/schemes/town-2026/items/8.1/", {"section": "anquan"},
                                        format="json")
    assert answer.status_code == 200 and answer.json()["section"] == "anquan"
    assert Indicator.objects.get(scheme__code="town-2026", code="8.1").section.code == "anquan"


@pytest.mark.parametrize("who", ["staff", "collector", "town"])
def test_only_an_administrator_changes_a_scheme(api, people, round_, who):
    answer = api(people[who]).patch(RULE, {"amount": "-1"}, format="json")
    assert answer.status_code == 403 and answer.json()["errors"][0]["code"] == "admin_only"


def test_a_signed_sheet_locks_its_rules(api, people, round_):
    sheet = "/api/v1/sheets/?section=caitong&unit=城关镇"
    pk = api(people["staff"]).get(sheet).json()["results"][0]["id"]
    assert api(people["staff"]).post(f"/api/v1/sheets/{pk}/actions/", {"action": "submit"}, format="json") \
        .status_code == 200
    answer = api(people["admin"]).patch(RULE, {"amount": "-1"}, format="json")
    assert answer.status_code == 409 and answer.json()["errors"][0]["code"] == "sheet_submitted"


def test_an_item_without_a_section_gets_one(api, people, round_):
    Indicator.objects.filter(scheme__code="town-2026", code="12").update(section=None)
    answer = api(people["admin"]).patch("/api/v1/schemes/town-2026/items/12/", {"section": "anquan"}, format="json")
    assert answer.status_code == 200 and answer.json()["section"] == "anquan"
