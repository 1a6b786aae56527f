"""Sheets and rounds through the API: a POST names the action; a refusal is 403 or 409 with the reason; lists
show what the Desk shows the same user."""

import pytest

from kaohe.models import ScoreSheet, Signature

pytestmark = pytest.mark.django_db


def sheet(section: str = "caitong", unit: str = "城关镇") -> ScoreSheet:
    return ScoreSheet.objects.get(section__code=section, unit__name=unit)


def act(client, pk: int, action: str, comment: str = ""):
    return client.post(f"/api/v1/sheets/{pk}/actions/", {"action": action, "comment": comment}, format="json")


def test_submit_and_sign_through_the_api(api, people, round_):
    pk = sheet().pk
    assert act(api(people["staff"]), pk, "submit").json() == {"state": "submitted"}
    assert act(api(people["head"]), pk, "sign").json() == {"state": "signed"}
    assert Signature.objects.filter(sheet_id=pk, user=people["head"]).count() == 1


def test_a_refusal_for_the_state_is_409_with_the_reason(api, people, round_):
    pk = sheet().pk
    client = api(people["staff"])
    assert act(client, pk, "submit").status_code == 200
    again = act(client, pk, "submit")
    assert again.status_code == 409
    [error] = again.json()["errors"]
    assert error["code"] == "not_from_this_state" and error["message"]
    assert sheet().state == "submitted"


def test_a_refusal_for_the_role_is_403_with_the_reason(api, people, round_):
    answer = act(api(people["town"]), sheet().pk, "submit")
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["code"] == "role_required"
    assert sheet().state == "draft"


def test_a_return_needs_a_comment(api, people, round_):
    pk = sheet().pk
    assert act(api(people["staff"]), pk, "submit").status_code == 200
    answer = act(api(people["head"]), pk, "return", "  ")
    assert answer.status_code == 409 and answer.json()["errors"][0]["code"] == "comment_required"


def test_sheets_are_listed_for_the_sections_a_user_works_in(api, people, round_):
    everyone = api(people["collector"]).get("/api/v1/sheets/", {"page_size": 500}).json()["count"]
    assert everyone == ScoreSheet.objects.count()
    safety = api(people["staff2"]).get("/api/v1/sheets/", {"page_size": 500}).json()
    assert {s["section"] for s in safety["results"]} == {"anquan"}
    assert safety["count"] == ScoreSheet.objects.filter(section__code="anquan").count()
    assert api(people["town"]).get("/api/v1/sheets/").json()["count"] == 0
    assert api(people["town"]).get(f"/api/v1/sheets/{sheet().pk}/").status_code == 404


def test_a_town_sees_a_round_only_once_published(api, people, round_):
    assert api(people["town"]).get("/api/v1/rounds/").json()["count"] == 0
    assert api(people["observer"]).get("/api/v1/rounds/").json()["results"][0]["state"] == "open"


def test_an_unknown_round_action_is_named(api, people, round_):
    answer = api(people["collector"]).post(f"/api/v1/rounds/{round_.pk}/actions/", {"action": "explode"},
                                           format="json")
    assert answer.status_code == 400
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [("action", "invalid_choice")]
