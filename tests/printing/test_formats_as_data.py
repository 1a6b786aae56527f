"""A print format is data: editing makes a new version, audited; each print records the version it used."""

import pytest
from django.core.exceptions import PermissionDenied

from kaohe.actions.printing import do_install_shipped_formats, do_print, do_save_print_format
from kaohe.models import AuditEvent, PrintFormat, PrintRecord
from kaohe.printing.render import current_format, enabled_formats
from kaohe.printing.shipped import SHIPPED
from kaohe.refusals import Refused
from tests.conftest import fresh

pytestmark = pytest.mark.django_db


def test_the_shipped_formats_are_there_once(db):
    assert {code for code, *_rest in SHIPPED} <= set(PrintFormat.objects.values_list("code", flat=True))
    assert do_install_shipped_formats() == []  # already installed by the migration: nothing twice
    PrintFormat.objects.all().delete()
    made = do_install_shipped_formats()
    assert sorted(f.code for f in made) == ["announcement", "appraisal_form", "evaluation_report", "scorecard",
                                            "section_sheet", "survey_invitation"]
    assert {f.subject for f in made} == {"unit_result", "round_ranking", "section_sheet", "appraisal_form",
                                         "evaluation_report", "survey_invitation"}


def test_editing_makes_a_new_version_and_keeps_the_old(people):
    first = current_format("scorecard")
    saved = do_save_print_format("scorecard", template=first.template.replace("总分", "合计得分"),
                                 acting_user=fresh(people["admin"]))
    assert (saved.version, saved.pk != first.pk) == (first.version + 1, True)
    assert current_format("scorecard") == saved and PrintFormat.objects.filter(code="scorecard").count() == 2
    first.refresh_from_db()
    assert "总分" in first.template and "合计得分" in saved.template and saved.css == first.css
    event = AuditEvent.objects.get(action="print_format.save")
    assert event.before["template"] == first.template and event.after["version"] == saved.version
    assert event.user == people["admin"]


def test_only_an_administrator_edits_and_a_broken_template_is_refused(people):
    with pytest.raises(PermissionDenied):
        do_save_print_format("scorecard", name="x", acting_user=fresh(people["collector"]))
    with pytest.raises(Refused) as refused:
        do_save_print_format("scorecard", template="{% if %}", acting_user=fresh(people["admin"]))
    assert refused.value.code == "print_template_syntax" and refused.value.params["line"] == 1
    assert PrintFormat.objects.filter(code="scorecard").count() == 1


def test_a_new_format_starts_at_version_one_and_disabled_formats_leave_the_menu(people):
    made = do_save_print_format("brief", name="简表", subject="unit_result",
                                template="{{ unit.name }} {{ unit.total }}", css="", page_size="A5",
                                orientation="landscape", enabled=True,
                                acting_user=fresh(people["admin"]))
    assert made.version == 1 and "brief" in [f.code for f in enabled_formats("unit_result")]
    do_save_print_format("brief", enabled=False, acting_user=fresh(people["admin"]))
    assert "brief" not in [f.code for f in enabled_formats("unit_result")]


def test_what_was_printed_records_the_version(round_, people):
    v1 = current_format("scorecard")
    do_print(v1, round_, unit="城关镇", acting_user=fresh(people["collector"]))
    v2 = do_save_print_format("scorecard", name="考核得分表(新)", acting_user=fresh(people["admin"]))
    do_print(v2, round_, unit="城关镇", acting_user=fresh(people["collector"]))
    records = list(PrintRecord.objects.order_by("id"))
    assert [(r.format.version, r.subject, r.draft) for r in records] == [(1, "城关镇", True), (2, "城关镇", True)]
    assert records[0].code != records[1].code  # another layout, another code
    assert records[1].printed_by == people["collector"]


def test_who_may_print_what(round_, people):
    fmt = current_format("scorecard")
    with pytest.raises(PermissionDenied):  # a town sees nothing before publication
        do_print(fmt, round_, unit="城关镇", acting_user=fresh(people["town"]))
    with pytest.raises(PermissionDenied):  # a whole round at once: not for section staff
        do_print(fmt, round_, acting_user=fresh(people["staff"]))
    sheet_format = current_format("section_sheet")
    printed = do_print(sheet_format, round_, section="caitong", unit="城关镇", acting_user=fresh(people["staff"]))
    assert len(printed.stamped) == 1
    with pytest.raises(PermissionDenied):  # another section's sheet
        do_print(sheet_format, round_, section="caitong", unit="城关镇", acting_user=fresh(people["staff2"]))
    with pytest.raises(Refused) as refused:
        do_print(fmt, round_, unit="无此镇", acting_user=None)
    assert refused.value.code == "print_unit_unknown"
