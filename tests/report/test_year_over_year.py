"""``year_over_year``: town-2026 (conftest's rows) beside town-2025, matched by rule code, by hand.

town-2025 is the shipped scheme for 2025 with two differences, as between real years: it has no 3.4.l
(added in 2026) and it has 8.1.b, −1 per occurrence (dropped in 2026). Its ledger:
    城关镇 8.1.a ×3 = −1.5;  东山镇 8.4.a −1;  西河镇 8.1.b ×1 = −1.
Neither year has economic figures: 1.2.a costs every unit 8 points in both.
"""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaohe.models import Rule, Scheme
from kaohe.refusals import Refused
from kaohe.report.export import as_xlsx
from kaohe.report.registry import get_report
from tests.conftest import fresh

D = Decimal
UNITS = ["城关镇", "东山镇", "西河镇", "南湖镇", "开发区", "县机械厂"]


@pytest.fixture
def last_year(recorded, people):
    from kaohe.actions.ledger import do_record_entry
    from kaohe.actions.rounds import do_open_round
    from kaohe.actions.schemes import do_load_scheme

    admin = fresh(people["admin"])
    scheme = do_load_scheme("town", 2025, acting_user=admin)
    Rule.objects.filter(scheme=scheme, code="3.4.l").delete()
    old = Rule.objects.get(scheme=scheme, code="8.1.a")
    Rule.objects.create(scheme=scheme, indicator=old.indicator, code="8.1.b", name="数据前后不一致", kind=old.kind,
                        amount=D(-1), order=old.order + 1)
    round_ = do_open_round(scheme, name="2025年度考核", acting_user=admin)
    staff = fresh(people["staff"])
    for cells in ({"unit": "城关镇", "rule": "8.1.a", "quantity": "3", "date": "2025-03-01"},
                  {"unit": "东山镇", "rule": "8.4.a", "points": "-1", "date": "2025-06-01", "note": "台帐不全"},
                  {"unit": "西河镇", "rule": "8.1.b", "date": "2025-07-01"}):
        do_record_entry(scheme, cells=cells, acting_user=staff)
    return round_


def keyed(rows):
    return {(r["unit"], r["rule"]): (r["before"], r["after"], r["change"], r["only_in"]) for r in rows}


def test_rules_matched_by_code_with_both_years_and_the_change(recorded, last_year):
    result = get_report("year_over_year").run(recorded, {"compare": str(last_year.pk)})
    rows = keyed(result.rows)
    assert rows[("城关镇", "8.1.a")] == (D("-1.5"), D(-1), D("0.5"), "")
    assert rows[("城关镇", "8.5.a")] == (D(0), D(-1), D(-1), "")
    assert rows[("东山镇", "8.1.a")] == (D(0), D("-0.5"), D("-0.5"), "")
    assert rows[("东山镇", "8.4.a")] == (D(-1), D(-3), D(-2), "")
    assert all(rows[(unit, "1.2.a")] == (D(-8), D(-8), D(0), "") for unit in UNITS)
    # codes in one year only: listed for every unit, the other year left empty, never dropped
    assert all(rows[(unit, "3.4.l")] == (None, D(0), None, "town-2026") for unit in UNITS)
    assert rows[("西河镇", "8.1.b")] == (D(-1), None, None, "town-2025")
    assert all(rows[(unit, "8.1.b")] == (D(0), None, None, "town-2025") for unit in UNITS if unit != "西河镇")
    # a rule both years have and that moved nothing either year is not a row
    assert ("南湖镇", "8.5.a") not in rows
    assert len(rows) == 4 + 6 * 3
    assert "town-2025 8.1.b" in result.summary and "town-2026 3.4.l" in result.summary
    assert [str(c.label) for c in result.columns][4:6] == ["2025", "2026"]


def test_without_a_compare_filter_last_years_round_is_taken(recorded, last_year):
    result = get_report("year_over_year").run(recorded, {"unit": "城关镇"})
    assert result.filters["compare"] == last_year
    assert {r["rule"] for r in result.rows} == {"1.2.a", "8.1.a", "8.5.a", "3.4.l", "8.1.b"}


def test_with_no_round_to_compare_with_the_report_says_so(recorded):
    result = get_report("year_over_year").run(recorded)
    assert result.rows == [] and "compare" not in result.filters


@pytest.mark.parametrize("value", ["999999", "town-2025", "self", "other-family"])
def test_a_compare_round_that_is_unknown_itself_or_of_another_family_is_refused(recorded, last_year, value):
    if value == "self":
        value = str(recorded.pk)
    elif value == "other-family":
        Scheme.objects.filter(pk=last_year.scheme_id).update(family="employee")
        value = str(last_year.pk)
    with pytest.raises(Refused) as refused:
        get_report("year_over_year").run(recorded, {"compare": value})
    assert refused.value.code == "bad_filter"


def test_a_round_the_user_may_not_read_is_not_compared(recorded, last_year, people):
    from kaohe.refusals import NotAllowed

    with pytest.raises(NotAllowed):  # the town user reads no unpublished ranking, this year's or last year's
        get_report("year_over_year").run(recorded, {"compare": str(last_year.pk)}, user=fresh(people["town"]))
    assert get_report("year_over_year").run(recorded, {"compare": str(last_year.pk)}, user=fresh(people["m1"])).rows


def test_xlsx_holds_the_rows_with_empty_cells_for_the_missing_year(recorded, last_year):
    result = get_report("year_over_year").run(recorded, {"compare": str(last_year.pk), "group": "town"})
    sheet = load_workbook(io.BytesIO(as_xlsx(result))).active
    keys = [c.key for c in result.columns]
    read = [dict(zip(keys, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
    assert len(read) == len(result.rows) == 4 + 4 * 3
    for row, cells in zip(result.rows, read, strict=True):
        assert (cells["unit"], cells["rule"], cells["only_in"] or "") == (row["unit"], row["rule"], row["only_in"])
        for key in ("before", "after", "change"):
            assert (None if cells[key] is None else D(str(cells[key]))) == row[key]


def test_csv_holds_the_rows_with_empty_cells_for_the_missing_year(recorded, last_year):
    import csv

    from kaohe.report.export import as_csv

    result = get_report("year_over_year").run(recorded, {"compare": str(last_year.pk), "unit": "西河镇"})
    body = list(csv.reader(io.StringIO(as_csv(result).decode("utf-8-sig"))))
    keys = [c.key for c in result.columns]
    read = [dict(zip(keys, line, strict=True)) for line in body[1:]]
    assert [(r["rule"], r["before"], r["after"], r["change"], r["only_in"]) for r in read] == [
        (row["rule"], "" if row["before"] is None else str(row["before"].normalize()),
         "" if row["after"] is None else str(row["after"].normalize()),
         "" if row["change"] is None else str(row["change"].normalize()), row["only_in"]) for row in result.rows]
    # 西河镇: 1.2.a both years, 3.4.l in 2026 only, 8.1.b in 2025 only (−1)
    assert [(r["rule"], r["before"], r["after"]) for r in read] == [
        ("1.2.a", "-8", "-8"), ("3.4.l", "", "0"), ("8.1.b", "-1", "")]
