"""The writes behind rating, progress reviews, round-wide steps and the inbox: who may, and what is refused."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kaohe.actions.appraisal import do_import_objectives
from kaohe.actions.inbox import do_mark_all_read
from kaohe.actions.notify import notify
from kaohe.actions.progress import do_report_progress, do_review_progress
from kaohe.actions.rating_entry import RatingsRejected, do_assign_raters, do_save_rating_draft, do_submit_ratings
from kaohe.actions.rounds import do_open_round
from kaohe.actions.roundwide import do_round_wide_step
from kaohe.actions.schemes import do_copy_scheme, do_load_scheme
from kaohe.actions.transitions import do_transition
from kaohe.actions.units import do_import_units
from kaohe.models import AuditEvent, Membership, Notification, RaterGroup, Rating, Unit
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.inbox import todo_count
from tests.conftest import fresh
from tests.e2e.test_mbo_progress import TREE
from tests.imports.helpers import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee_round(django_user_model):
    scheme = do_load_scheme("employee", 2026)
    do_import_units(csv_bytes("name,group,user\n张三,kefu,zhangsan\n陈静,kefu,chenjing\n"), "p.csv")
    admin = django_user_model.objects.create_user("hradmin")
    Membership.objects.create(user=admin, role="admin")
    round_ = do_open_round(scheme, name="2026年度员工考核", acting_user=admin)
    users = {u.username: u for u in django_user_model.objects.all()}
    return scheme, round_, users


def group(scheme, source, code):
    return RaterGroup.objects.get(source__scheme=scheme, source__code=source, code=code)


def all_a(assignment):
    return {code: ("A", "") for code in ("3.1", "3.2", "3.3", "4.1")}


def test_only_the_assigned_rater_rates_and_only_once(employee_round):
    scheme, round_, users = employee_round
    zhang = Unit.objects.get(name="张三")
    do_assign_raters(round_, [(group(scheme, "review360", "superior"), users["chenjing"], zhang)],
                     acting_user=users["hradmin"])
    assignment = zhang.rating_assignments.get()
    with pytest.raises(NotAllowed):
        do_submit_ratings(assignment, all_a(assignment), acting_user=users["zhangsan"])
    with pytest.raises(RatingsRejected) as rejected:  # every criterion, named
        do_submit_ratings(assignment, {"3.1": ("A", ""), "3.2": ("E", "")}, acting_user=users["chenjing"])
    assert set(rejected.value.errors) == {"3.2", "3.3", "4.1"}
    assert do_submit_ratings(assignment, all_a(assignment), acting_user=users["chenjing"]) == 4
    assert set(Rating.objects.values_list("rater", "rater_group", "period", "value").distinct()) == {
        ("chenjing", "superior", "2026", D("95"))}
    with pytest.raises(Refused) as again:
        do_save_rating_draft(assignment, {}, acting_user=users["chenjing"])
    assert again.value.code == "ratings_submitted"
    assert AuditEvent.objects.filter(action="ratings.submit").count() == 1


def test_the_deadline_is_the_groups_and_a_late_rater_is_refused(employee_round):
    scheme, round_, users = employee_round
    superior = group(scheme, "review360", "superior")
    superior.deadline = date(2026, 12, 20)
    superior.save()
    zhang = Unit.objects.get(name="张三")
    do_assign_raters(round_, [(superior, users["chenjing"], zhang)], acting_user=users["hradmin"])
    assignment = zhang.rating_assignments.get()
    do_save_rating_draft(assignment, {"3.1": ("B", "")}, acting_user=users["chenjing"], today=date(2026, 12, 20))
    with pytest.raises(Refused) as late:
        do_submit_ratings(assignment, all_a(assignment), acting_user=users["chenjing"], today=date(2026, 12, 21))
    assert late.value.code == "rating_deadline_passed" and "2026-12-20" in str(late.value)
    assert not Rating.objects.exists()


def test_a_self_appraisal_is_ones_own_and_no_one_else_rates_themselves(employee_round):
    scheme, round_, users = employee_round
    zhang, chen = Unit.objects.get(name="张三"), Unit.objects.get(name="陈静")
    with pytest.raises(Refused):
        do_assign_raters(round_, [(group(scheme, "review360", "peer"), users["zhangsan"], zhang)],
                         acting_user=users["hradmin"])
    with pytest.raises(Refused):
        do_assign_raters(round_, [(group(scheme, "self", "self"), users["zhangsan"], chen)],
                         acting_user=users["hradmin"])
    with pytest.raises(NotAllowed):
        do_assign_raters(round_, [(group(scheme, "self", "self"), users["zhangsan"], zhang)],
                         acting_user=users["zhangsan"])
    assert do_assign_raters(round_, [(group(scheme, "self", "self"), users["zhangsan"], zhang)],
                            acting_user=users["hradmin"]) == 1
    assert todo_count(fresh(users["zhangsan"])) == 1  # the badge counts it


def test_a_submitted_sheet_locks_desk_ratings_of_its_person(employee_round):
    scheme, round_, users = employee_round
    zhang = Unit.objects.get(name="张三")
    staff = users["hradmin"]
    Membership.objects.create(user=staff, role="staff", section=round_.sheets.first().section)
    do_assign_raters(round_, [(group(scheme, "review360", "superior"), users["chenjing"], zhang)],
                     acting_user=staff)
    do_transition(round_.sheets.get(unit=zhang), "submit", acting_user=fresh(staff))
    with pytest.raises(Refused) as locked:
        do_submit_ratings(zhang.rating_assignments.get(), all_a(None), acting_user=users["chenjing"])
    assert locked.value.code == "sheet_submitted"
    assert not Rating.objects.exists()


def test_progress_is_reported_by_its_owner_and_reviewed_by_the_direct_superior_only(django_user_model):
    scheme = do_load_scheme("mbo", 2026)
    do_import_objectives(csv_bytes(TREE), "tree.csv", scheme)
    users = {}
    for name, unit in (("boss", "公司经营班子"), ("xiaoshou", "销售部"), ("wangqiang", "王强")):
        users[name] = django_user_model.objects.create_user(name)
        Membership.objects.create(user=users[name], role="unit", unit=Unit.objects.get(name=unit))
    sales = scheme.rules.get(code="sales")
    with pytest.raises(NotAllowed):
        do_report_progress(sales, date(2026, 5, 31), "1", acting_user=users["wangqiang"])
    with pytest.raises(Refused) as bad:
        do_report_progress(sales, date(2026, 5, 31), "NaN", acting_user=users["xiaoshou"])
    assert bad.value.code == "bad_actual"
    report = do_report_progress(sales, date(2026, 5, 31), "4,000", acting_user=users["xiaoshou"])
    assert report.actual == D("4000")
    with pytest.raises(NotAllowed):
        do_review_progress(report, accepted=True, rating_text="90", comment="好", acting_user=users["xiaoshou"])
    with pytest.raises(Refused) as silent:
        do_review_progress(report, accepted=True, rating_text="90", comment=" ", acting_user=users["boss"])
    assert silent.value.code == "review_comment_required"
    review = do_review_progress(report, accepted=True, rating_text="90", comment="属实", acting_user=users["boss"])
    assert review.measurement.actual == D("4000") and review.measurement.date == date(2026, 5, 31)


def test_mark_all_read_marks_only_ones_own(people):
    notify([people["staff"].pk, people["head"].pk], "publish", round="x")
    notify([people["staff"].pk], "publish", round="y")
    assert do_mark_all_read(acting_user=people["staff"]) == 2
    assert Notification.objects.filter(read_at__isnull=True).get().user == people["head"]
    assert do_mark_all_read(acting_user=people["staff"]) == 0


def test_round_wide_refuses_other_steps_and_a_stale_list(people, round_):
    with pytest.raises(Refused):
        do_round_wide_step(round_, "publish", [1], acting_user=people["staff2"])
    ids = list(round_.sheets.filter(section__code="anquan").values_list("pk", flat=True))
    with pytest.raises(Refused) as stale:
        do_round_wide_step(round_, "submit", ids[:-1], acting_user=fresh(people["staff2"]))
    assert stale.value.code == "list_changed"
    assert do_round_wide_step(round_, "submit", ids, acting_user=fresh(people["staff2"])) == 6


def test_assign_raters_from_a_file_names_every_bad_row(employee_round, tmp_path):
    _scheme, round_, _users = employee_round
    bad = tmp_path / "bad.csv"
    bad.write_text("ratee,source,group,rater\n张三,review360,superior,chenjing\n无名,review360,cousin,nobody\n",
                   encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("assign_raters", str(bad), "--round", str(round_.pk))
    assert not round_.rating_assignments.exists()
    good = tmp_path / "good.csv"
    good.write_text("ratee,source,group,rater\n张三,review360,superior,chenjing\n张三,self,self,zhangsan\n",
                    encoding="utf-8")
    out = StringIO()
    call_command("assign_raters", str(good), "--round", str(round_.pk), stdout=out)
    assert out.getvalue().startswith("2 new assignments")
    assert set(round_.rating_assignments.values_list("group__code", "rater__username")) == {
        ("superior", "chenjing"), ("self", "zhangsan")}


def test_a_copied_scheme_leaves_rating_deadlines_to_be_set_for_its_year(employee_round):
    scheme, _round, users = employee_round
    RaterGroup.objects.filter(source__scheme=scheme).update(deadline=date(2026, 12, 20), note_below=D("60"))
    copy = do_copy_scheme(scheme, year=2027, acting_user=users["hradmin"])
    copied = RaterGroup.objects.filter(source__scheme=copy)
    assert copied.count() == 5 and set(copied.values_list("deadline", "note_below")) == {(None, D("60"))}
