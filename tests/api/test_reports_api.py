"""Reports through the API: the same rows as the report layer, its exports, its permission and its filter
checks, in the one error shape."""

import io
from decimal import Decimal

import openpyxl
import pytest

from tests.report.conftest import recorded  # noqa: F401  (the four hand-computed 财统科 rows)

pytestmark = pytest.mark.django_db


def test_ledger_detail_rows_as_json_with_filters(api, people, recorded):  # noqa: F811
    answer = api(people["collector"]).get(f"/api/v1/reports/ledger_detail/?round={recorded.pk}&unit=东山镇")
    assert answer.status_code == 200
    body = answer.json()
    assert body["report"] == "ledger_detail" and body["filters"] == {"unit": "东山镇"}
    assert [(r["rule"], r["date"], Decimal(str(r["points"]))) for r in body["rows"]] == [
        ("8.1.a", "2026-03-05", Decimal("-0.5")), ("8.4.a", "2026-06-01", Decimal("-3"))]


def test_deduction_causes_and_its_xlsx_agree(api, people, recorded):  # noqa: F811
    client = api(people["collector"])
    rows = client.get(f"/api/v1/reports/deduction_causes/?round={recorded.pk}").json()["rows"]
    assert [r["rule"] for r in rows][:3] == ["8.4.a", "8.1.a", "8.5.a"]
    answer = client.get(f"/api/v1/reports/deduction_causes/?round={recorded.pk}&export=xlsx")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    written = [(row[0], row[3]) for row in sheet.iter_rows(min_row=3, values_only=True)]  # 1: filters, 2: header
    assert written == [(r["rule"], Decimal(str(r["lost"]))) for r in rows]


def test_who_may_run_a_report_is_the_desks_rule(api, people, recorded):  # noqa: F811
    answer = api(people["town"]).get(f"/api/v1/reports/ranking/?round={recorded.pk}")
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["code"] == "report_not_allowed"


def test_bad_filters_and_unknown_reports_answer_in_the_one_shape(api, people, recorded):  # noqa: F811
    client = api(people["collector"])
    bad = client.get(f"/api/v1/reports/ledger_detail/?round={recorded.pk}&unit=没有这个镇")
    assert bad.status_code == 409 and bad.json()["errors"][0]["code"] == "bad_filter"
    assert client.get(f"/api/v1/reports/nosuch/?round={recorded.pk}").status_code == 404
    missing = client.get("/api/v1/reports/ranking/")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "round"
