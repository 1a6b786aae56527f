"""Ledger rows through the API: one row or a whole file, checked by the importer's validator, all or nothing;
the list pages and filters."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.models import AuditEvent, ImportBatch, LedgerEntry

pytestmark = pytest.mark.django_db

ROW = {"scheme": "town-2026", "unit": "城关镇", "rule": "8.1.a", "quantity": "1", "date": "2026-05-01",
       "note": "报表迟报"}


def test_one_row_is_written_by_the_action_with_its_audit(api, people, round_):
    answer = api(people["staff"]).post("/api/v1/ledger/", ROW, format="json")
    assert answer.status_code == 201, answer.json()
    entry = LedgerEntry.objects.get()
    assert answer.json()["id"] == entry.pk and answer.json()["rule"] == "8.1.a" and answer.json()["unit"] == "城关镇"
    assert (entry.quantity, entry.created_by) == (Decimal(1), people["staff"])
    assert AuditEvent.objects.filter(action="ledger.add", user=people["staff"]).count() == 1


def test_an_out_of_range_amount_names_field_value_and_code_without_a_row(api, people, round_):
    cells = {**ROW, "rule": "8.4.a", "points": "-9", "note": "台帐不全"}
    answer = api(people["staff"]).post("/api/v1/ledger/", cells, format="json")
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert (error["field"], error["value"], error["code"]) == ("points", "-9", "out_of_range")
    assert "row" not in error and "-4" in error["message"]
    assert not LedgerEntry.objects.exists()


def test_a_refusal_is_in_the_callers_language(api, people, round_):
    """Same code either way; the sentence follows Accept-Language (the translation already in the catalogue)."""
    refusals = {}
    for language in ("en", "zh-hans"):
        answer = api(people["staff2"], language).post("/api/v1/ledger/", ROW, format="json")
        assert answer.status_code == 403
        refusals[language] = answer.json()["errors"][0]
    assert refusals["en"]["code"] == refusals["zh-hans"]["code"] == "other_section"
    assert refusals["en"]["message"] == "This rule belongs to another section."
    assert refusals["zh-hans"]["message"] == "该规则属于其他科室。"


def test_a_file_with_one_bad_row_writes_nothing_and_names_each_bad_row(api, people, round_):
    text = ("unit,rule,quantity,points,date,note\n"
            "城关镇,8.1.a,1,,2026-05-01,迟报\n"
            "东山镇,8.4.a,1,-9,2026-05-02,台帐不全\n"
            "无此镇,8.1.a,1,,2026-05-03,迟报\n")
    upload = SimpleUploadedFile("ledger.csv", text.encode(), content_type="text/csv")
    answer = api(people["staff"]).post("/api/v1/ledger/import/", {"scheme": "town-2026", "file": upload},
                                       format="multipart")
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert [(e["row"], e["field"], e["value"], e["code"]) for e in errors] == [
        (3, "points", "-9", "out_of_range"), (4, "unit", "无此镇", "unknown_unit")]
    assert not LedgerEntry.objects.exists() and not ImportBatch.objects.exists()


def test_a_good_file_is_imported_once(api, people, round_):
    text = "unit,rule,quantity,date,note\n城关镇,8.1.a,1,2026-05-01,迟报\n东山镇,8.1.a,2,2026-05-02,迟报\n"
    client = api(people["staff"])

    def send():
        upload = SimpleUploadedFile("ledger.csv", text.encode(), content_type="text/csv")
        return client.post("/api/v1/ledger/import/", {"scheme": "town-2026", "file": upload}, format="multipart")

    first = send()
    assert first.status_code == 201 and first.json()["rows"] == 2 and first.json()["batch"] is not None
    again = send()
    assert again.status_code == 200 and again.json()["batch"] is None
    assert again.json()["duplicate_of"] == first.json()["batch"]
    assert LedgerEntry.objects.count() == 2


def test_the_list_pages_and_filters_by_unit_rule_and_date(api, people, round_):
    client = api(people["admin"])
    for n, (unit, day) in enumerate([("城关镇", "2026-03-01"), ("城关镇", "2026-06-01"), ("东山镇", "2026-06-02")]):
        assert client.post("/api/v1/ledger/", {**ROW, "unit": unit, "date": day, "note": f"迟报{n}"},
                           format="json").status_code == 201
    page = client.get("/api/v1/ledger/", {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert client.get("/api/v1/ledger/", {"unit": "城关镇"}).json()["count"] == 2
    assert client.get("/api/v1/ledger/", {"date_from": "2026-06-01"}).json()["count"] == 2
    assert client.get("/api/v1/ledger/", {"date_to": "2026-05-31", "unit": "城关镇"}).json()["count"] == 1
    assert client.get("/api/v1/ledger/", {"rule": "7.a"}).json()["count"] == 0
    bad = client.get("/api/v1/ledger/", {"date_from": "June"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "date_from"


def test_staff_see_only_their_sections_rows(api, people, round_):
    assert api(people["admin"]).post("/api/v1/ledger/", ROW, format="json").status_code == 201
    assert api(people["staff"]).get("/api/v1/ledger/").json()["count"] == 1
    assert api(people["staff2"]).get("/api/v1/ledger/").json()["count"] == 0
    assert api(people["town"]).get("/api/v1/ledger/").status_code == 403


def test_a_bug_answers_500_in_the_one_shape_without_a_traceback(api, people, round_, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("secret detail")

    logged = []
    monkeypatch.setattr("kaohe.api.ledger.do_record_entry", broken)
    monkeypatch.setattr("kaohe.api.errors.log.error", lambda *args, exc_info=None: logged.append(exc_info))
    answer = api(people["staff"]).post("/api/v1/ledger/", ROW, format="json")
    assert answer.status_code == 500
    assert [e["code"] for e in answer.json()["errors"]] == ["server_error"]
    assert b"secret detail" not in answer.content and b"Traceback" not in answer.content
    assert [type(e) for e in logged] == [ZeroDivisionError]


def test_a_database_that_does_not_answer_is_a_503_to_retry(api, people, round_, monkeypatch):
    from django.db import OperationalError

    def gone(*args, **kwargs):
        raise OperationalError("(2013, 'Lost connection to server during query')")

    monkeypatch.setattr("kaohe.api.ledger.do_record_entry", gone)
    answer = api(people["staff"]).post("/api/v1/ledger/", ROW, format="json")
    assert answer.status_code == 503 and answer["Retry-After"] == "5"
    assert [e["code"] for e in answer.json()["errors"]] == ["database_unavailable"]
    assert b"Lost connection" not in answer.content


def test_a_value_the_database_cannot_hold_is_a_400_not_a_500(api, people, round_):
    answer = api(people["staff"]).get("/api/v1/ledger/?unit=城关\x00镇")
    assert answer.status_code in (200, 400)  # SQLite and MariaDB compare it; PostgreSQL cannot hold it
    if answer.status_code == 400:
        assert answer.json()["errors"][0]["code"] == "invalid"
    row = {**ROW, "note": "迟\x00报"}
    refused = api(people["staff"]).post("/api/v1/ledger/", row, format="json")
    assert refused.status_code == 400
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("note", "null_characters_not_allowed")]
