"""Scores through the API are the JSON of ``manage.py score --format json``, for the same as_of and group."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ROW = {"scheme": "town-2026", "unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-05-01",
       "note": "报表迟报"}


def command(*args) -> dict:
    out = StringIO()
    call_command("score", "--scheme", "town-2026", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("query", "args"), [({}, []), ({"as_of": "2026-06", "group": "town"},
                                                        ["--as-of", "2026-06", "--group", "town"])])
def test_the_same_json_as_the_score_command(api, people, round_, query, args):
    client = api(people["collector"])
    assert api(people["staff"]).post("/api/v1/ledger/", ROW, format="json").status_code == 201
    answer = client.get("/api/v1/schemes/town-2026/scores/", query)
    assert answer.status_code == 200
    assert answer.json() == command(*args)
    totals = {u["unit"]: u["total"] for u in answer.json()["units"]}
    # 100 base points less 1.2's 8 (no economic figures yet); 城关镇 less two late reports at -0.5 each
    assert (totals["城关镇"], totals["东山镇"]) == (91, 92)


def test_one_unit_and_its_explanation(api, people, round_):
    assert api(people["staff"]).post("/api/v1/ledger/", ROW, format="json").status_code == 201
    data = api(people["m1"]).get("/api/v1/schemes/town-2026/scores/", {"unit": "城关镇"}).json()
    [town] = data["units"]
    assert town["unit"] == "城关镇"
    assert "8.1" in json.dumps(town["items"], ensure_ascii=False)


@pytest.mark.parametrize(("query", "field", "code"), [
    ({"as_of": "2025-06"}, "as_of", "as_of_outside_year"), ({"as_of": "2026-13"}, "as_of", "bad_month"),
    ({"group": "nowhere"}, "group", "unknown_group")])
def test_bad_filters_are_named(api, people, round_, query, field, code):
    answer = api(people["admin"]).get("/api/v1/schemes/town-2026/scores/", query)
    assert answer.status_code == 400
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [(field, code)]


@pytest.mark.parametrize("who", ["staff", "head", "observer"])
def test_live_scores_are_not_for_everyone(api, people, round_, who):
    answer = api(people[who]).get("/api/v1/schemes/town-2026/scores/")
    assert answer.status_code == 403 and answer.json()["errors"][0]["code"] == "live_scores"


def test_without_explanations_the_stored_standings_are_read(api, people, round_, monkeypatch):
    from kaohe.api import scores as endpoint

    assert api(people["staff"]).post("/api/v1/ledger/", ROW, format="json").status_code == 201  # stores them
    full = command()
    monkeypatch.setattr(endpoint, "score", lambda *a, **k: pytest.fail("scored although stored and current"))
    data = api(people["collector"]).get("/api/v1/schemes/town-2026/scores/", {"explain": "false"}).json()
    assert [(u["unit"], u["total"], u["rank"]) for u in data["units"]] == [
        (u["unit"], u["total"], u["rank"]) for u in full["units"]]
    assert dict((u["unit"], u["total"]) for u in data["units"])["城关镇"] == 91
    assert all(u["explanation"] == {} for u in data["units"])
