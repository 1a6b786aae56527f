"""``consistency``: each alert against the rows of a small ledger worked out by hand."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kaohe.permissions import can_run_report
from kaohe.report.registry import get_report
from tests.conftest import fresh

TOWNS = ["城关镇", "东山镇", "西河镇", "南湖镇", "开发区", "县机械厂"]


@pytest.fixture
def checked(recorded, people, settings, tmp_path):
    """Beyond the four rows of ``recorded`` (8.1.a ×2 and 8.5.a for 城关镇; 8.1.a and 8.4.a −3 without
    evidence for 东山镇), 财统科 records:

    * 8.5.a (−1 per occurrence) once for each of the five other units on 2026-03-20: with 城关镇's, the same
      amount for every unit;
    * 8.4.a −4 for 城关镇 with a PDF as evidence: the lowest amount of 8.4.a's range −4 … 0;
    * 8.4.a −2 for 西河镇, then its reversal: neither row counts, so neither is an alert.

    安全科 (anquan) records nothing: each of the six units has no row from it.
    """
    from kaohe.actions.ledger import do_record_entry, do_reverse_entry

    settings.MEDIA_ROOT = str(tmp_path)
    staff = fresh(people["staff"])
    for town in TOWNS[1:]:
        do_record_entry(recorded.scheme, cells={"unit": town, "rule": "8.5.a", "date": "2026-03-20"},
                        acting_user=staff)
    paper = SimpleUploadedFile("checklist.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    do_record_entry(recorded.scheme, cells={"unit": "城关镇", "rule": "8.4.a", "points": "-4", "date": "2026-05-01",
                                            "note": "台账缺失"}, files=[paper], acting_user=staff)
    wrong = do_record_entry(recorded.scheme, cells={"unit": "西河镇", "rule": "8.4.a", "points": "-2",
                                                    "date": "2026-07-01", "note": "误录"}, acting_user=staff)
    do_reverse_entry(wrong, reason="录错单位", acting_user=staff)
    return recorded


def alerts(rows):
    return sorted((r["kind_code"], r["unit"], r["rule"]) for r in rows)


def test_the_year_end_alerts_of_one_section(checked):
    from kaohe.models import LedgerEntry

    with translation.override("en"):
        result = get_report("consistency").run(checked, {"section": "caitong"})
    assert alerts(result.rows) == [
        ("no_evidence", "东山镇", "8.4.a"),  # −3, no file; the reversed pair of 西河镇 is not asked about
        ("range_edge", "城关镇", "8.4.a"),  # −4 is 8.4.a's lowest amount; its evidence is there
        ("same_amount", "", "8.5.a"),  # six units, −1 each
    ]
    rows = {r["kind_code"]: r for r in result.rows}
    assert rows["same_amount"]["detail"] == "every one of the 6 units has -1"
    assert rows["same_amount"]["link"] == f"/ledger/?scheme={checked.scheme.code}&rule=8.5.a"
    assert rows["range_edge"]["detail"] == "-4 is the lowest amount of the range -4 … 0"
    bare = LedgerEntry.objects.get(unit__name="东山镇", rule__code="8.4.a")
    assert (rows["no_evidence"]["row"], rows["no_evidence"]["date"]) == (bare.pk, date(2026, 6, 1))
    assert rows["no_evidence"]["section"] == "财务统计科"
    assert result.summary == ("3 alerts: same amount for every unit 1; dated outside the period 0; no evidence 1; "
                              "no rows from the section 0; at the edge of the range 1")


def test_a_unit_filter_keeps_its_own_alerts_and_those_about_every_unit(checked):
    rows = get_report("consistency").run(checked, {"section": "caitong", "unit": "城关镇"}).rows
    assert alerts(rows) == [("range_edge", "城关镇", "8.4.a"), ("same_amount", "", "8.5.a")]


def test_a_section_without_rows_is_named_for_each_unit_with_a_link_to_its_grid(checked):
    rows = get_report("consistency").run(checked, {"section": "anquan"}).rows
    assert alerts(rows) == sorted(("no_rows", town, "") for town in TOWNS)
    assert {r["link"] for r in rows} == {f"/rounds/{checked.pk}/sections/anquan/"}


def test_a_mid_year_round_flags_rows_after_its_month(checked):
    from kaohe.models import Round

    # One round runs per scheme at a time: the same round, read as a check to the end of March.
    Round.objects.filter(pk=checked.pk).update(period="mid_year", as_of_month=3)
    march = Round.objects.get(pk=checked.pk)
    with translation.override("en"):
        rows = get_report("consistency").run(march, {"section": "caitong"}).rows
    # Dated after 2026-03-31: 8.5.a (04-10), 8.4.a of 城关镇 (05-01) and 东山镇 (06-01), 西河镇's pair (07-01);
    # those rows are out of the period, so they raise no other alert. Without 城关镇's 8.5.a, the other five
    # units' −1 on 8.5.a is no longer every unit's; 城关镇 still has its 8.1.a rows of February.
    assert alerts(rows) == sorted([
        ("outside_period", "城关镇", "8.5.a"), ("outside_period", "城关镇", "8.4.a"),
        ("outside_period", "东山镇", "8.4.a"), ("outside_period", "西河镇", "8.4.a"),
        ("outside_period", "西河镇", "8.4.a")])
    late = next(r for r in rows if r["kind_code"] == "outside_period" and r["rule"] == "8.5.a")
    assert late["detail"] == "dated 2026-04-10, outside 2026-01-01 … 2026-03-31: not counted in this round"


def test_a_section_sees_only_its_own_alerts_and_a_unit_login_none(checked, people):
    staff2 = fresh(people["staff2"])  # 安全科 only
    assert can_run_report(staff2, "consistency", checked)
    rows = get_report("consistency").run(checked, user=staff2).rows
    assert alerts(rows) == sorted(("no_rows", town, "") for town in TOWNS)
    assert get_report("consistency").run(checked, {"section": "caitong"}, user=staff2).rows == []
    assert not can_run_report(fresh(people["town"]), "consistency", checked)
    assert can_run_report(fresh(people["collector"]), "consistency", checked)
    collected = get_report("consistency").run(checked, user=fresh(people["collector"])).rows
    assert {r["section"] for r in collected} > {"财务统计科"}  # the collector sees every section


def test_a_unit_login_gets_403_from_the_desk_and_the_api(client, checked, people):
    from django.urls import reverse

    client.force_login(people["town"])
    assert client.get(f"{reverse('kaohe:report', args=['consistency'])}?round={checked.pk}").status_code == 403
    assert client.get(f"/api/v1/reports/consistency/?round={checked.pk}").status_code == 403
