"""Each report's rows against values worked out by hand from the fixture in conftest.py."""

from datetime import date
from decimal import Decimal

import pytest

from kaohe.refusals import Refused
from kaohe.report.registry import get_report


def by(rows, key):
    return {row[key]: row for row in rows}


def test_ranking_orders_towns_by_what_each_lost(recorded):
    result = get_report("ranking").run(recorded, {"group": "town"})
    rows = by(result.rows, "unit")
    assert set(rows) == {"城关镇", "东山镇", "西河镇", "南湖镇"}  # the group filter keeps towns only
    clean = rows["西河镇"]["total"]
    assert rows["南湖镇"]["total"] == clean
    assert clean - rows["城关镇"]["total"] == Decimal("2")
    assert clean - rows["东山镇"]["total"] == Decimal("3.5")
    assert rows["城关镇"]["rank"] == 3 and rows["东山镇"]["rank"] == 4
    assert rows["西河镇"]["cat_8"] - rows["东山镇"]["cat_8"] == Decimal("3.5")
    assert not any(row["vetoed"] for row in result.rows)
    assert [r["unit"] for r in result.rows][-2:] == ["城关镇", "东山镇"]
    assert result.chart["categories"][-2:] == ["城关镇", "东山镇"] and len(result.chart["values"]) == 4


def test_ledger_detail_lists_every_row_and_filters(recorded):
    report = get_report("ledger_detail")
    rows = report.run(recorded).rows
    assert [(r["unit"], r["rule"], r["date"], r["points"]) for r in rows] == [
        ("城关镇", "8.1.a", date(2026, 2, 1), Decimal("-1")),
        ("东山镇", "8.1.a", date(2026, 3, 5), Decimal("-0.5")),
        ("城关镇", "8.5.a", date(2026, 4, 10), Decimal("-1")),
        ("东山镇", "8.4.a", date(2026, 6, 1), Decimal("-3")),
    ]
    assert rows[0]["section"] == "财务统计科" and rows[0]["quantity"] == 2 and rows[0]["note"] == "迟报两次"
    assert rows[0]["rule_name"].startswith("缺报")
    only = report.run(recorded, {"unit": "东山镇", "date_from": "2026-04-01"}).rows
    assert [(r["rule"], r["points"]) for r in only] == [("8.4.a", Decimal("-3"))]
    assert report.run(recorded, {"section": "anquan"}).rows == []


def test_ledger_detail_shows_a_section_only_its_own_rows(recorded, people):
    from tests.conftest import fresh

    assert len(get_report("ledger_detail").run(recorded, user=fresh(people["staff"])).rows) == 4
    assert get_report("ledger_detail").run(recorded, user=fresh(people["staff2"])).rows == []


def test_deduction_causes_ranks_rules_by_points_lost(recorded):
    rows = get_report("deduction_causes").run(recorded).rows
    assert [(r["rule"], r["lost"], r["rows"], r["units"], r["most_affected"]) for r in rows] == [
        ("8.4.a", Decimal("3"), 1, 1, "东山镇 (3)"),
        ("8.1.a", Decimal("1.5"), 2, 2, "城关镇 (1)、东山镇 (0.5)"),
        ("8.5.a", Decimal("1"), 1, 1, "城关镇 (1)"),
    ]
    assert get_report("deduction_causes").run(recorded, {"section": "anquan"}).rows == []


def test_progress_lists_each_sheet_with_its_holder_and_lateness(recorded, monkeypatch):
    from django.utils import translation

    from kaohe.report import progress

    with translation.override("en"):  # the English source text, whatever the catalogue holds
        recorded.due = date(2026, 3, 31)
        recorded.save()
        report = get_report("progress")
        rows = report.run(recorded, {"section": "caitong"}).rows
        assert len(rows) == 6  # one sheet per unit of the round
        assert {r["state_code"] for r in rows} == {"draft"} and {r["holder"] for r in rows} == {"section staff"}
        monkeypatch.setattr(progress, "_today", lambda: date(2026, 3, 31))
        assert not any(r["overdue"] for r in report.run(recorded, {"section": "caitong"}).rows)
        monkeypatch.setattr(progress, "_today", lambda: date(2026, 4, 1))
        result = report.run(recorded, {"section": "caitong", "unit": "城关镇"})
        assert [(r["unit"], r["overdue"]) for r in result.rows] == [("城关镇", True)]
        assert result.summary == "1 sheets, 1 overdue"


@pytest.mark.parametrize(("filters", "code"), [
    ({"colour": "red"}, "unknown_filter"), ({"unit": "不存在镇"}, "bad_filter"),
    ({"date_from": "2026-13-01"}, "bad_filter"),
])
def test_a_filter_that_names_nothing_is_refused(recorded, filters, code):
    with pytest.raises(Refused) as refused:
        get_report("ledger_detail").run(recorded, filters)
    assert refused.value.code == code


def test_who_may_run_which_report(recorded, people):
    from kaohe.permissions import can_run_report
    from tests.conftest import fresh

    assert can_run_report(fresh(people["m1"]), "ranking", recorded)
    assert can_run_report(fresh(people["staff"]), "ledger_detail", recorded)
    assert not can_run_report(fresh(people["town"]), "ranking", recorded)  # not published yet
    assert not can_run_report(fresh(people["town"]), "progress", recorded)
    assert not can_run_report(fresh(people["m1"]), "no_such_report", recorded)


@pytest.mark.parametrize("code", ["matrix", "year_over_year", "at_risk"])
def test_the_new_reports_are_read_like_the_ranking_and_only_on_points_schemes(recorded, people, code):
    from kaohe.models import Scheme
    from kaohe.permissions import can_run_report
    from tests.conftest import fresh

    assert can_run_report(fresh(people["m1"]), code, recorded)
    assert can_run_report(fresh(people["collector"]), code, recorded)
    assert not can_run_report(fresh(people["staff"]), code, recorded)  # the ranking is not theirs before publication
    assert not can_run_report(fresh(people["town"]), code, recorded)
    Scheme.objects.filter(pk=recorded.scheme_id).update(method="weighted")
    recorded.scheme.refresh_from_db()
    report = get_report(code)  # points lost and 序时进度 mean nothing there: not offered, and refused by name
    assert not report.applies_to(recorded.scheme)
    with pytest.raises(Refused) as refused:
        report.run(recorded, {})
    assert refused.value.code == "report_not_for_scheme"


def test_ranking_of_one_unit_draws_its_categories_against_its_groups_average(recorded):
    """Towns: 城关镇 lost 2 and 东山镇 3.5 on category 8 (base 22), 西河镇 and 南湖镇 nothing: the group's
    mean on 8 is (20 + 18.5 + 22 + 22) / 4 = 20.625 → 20.63. 1.2 costs every town 8 (no figures): 2 on 1."""
    result = get_report("ranking").run(recorded, {"unit": "城关镇"})
    assert [r["unit"] for r in result.rows] == ["城关镇"]
    chart = result.chart
    assert chart["kind"] == "radar" and len(chart["indicators"]) == 12
    mine, mean = ({i["name"]: Decimal(v) for i, v in zip(chart["indicators"], s["values"], strict=True)}
                  for s in chart["series"])
    names = dict(recorded.scheme.indicators.filter(parent__isnull=True).values_list("code", "name"))
    assert mine[names["8"]] == Decimal(20) and mean[names["8"]] == Decimal("20.63")
    assert mine[names["1"]] == mean[names["1"]] == Decimal(2)
    assert mine[names["3"]] == mean[names["3"]] == Decimal(15)
    assert {i["name"]: Decimal(i["max"]) for i in chart["indicators"]}[names["8"]] == Decimal(22)
    assert get_report("ranking").run(recorded, {"group": "town"}).chart["kind"] == "bar"


@pytest.mark.parametrize(("report", "filters"), [
    ("at_risk", {"as_of": "²"}), ("at_risk", {"as_of": "006"}), ("at_risk", {"as_of": "-1"}),
    ("year_over_year", {"compare": "99999999999999999999999"}), ("year_over_year", {"compare": "٣"}),
    ("year_over_year", {"compare": "0"}),
])
def test_a_month_or_round_that_is_no_number_of_ours_is_refused_not_a_crash(recorded, report, filters):
    with pytest.raises(Refused) as refused:
        get_report(report).run(recorded, filters)
    assert refused.value.code == "bad_filter"
