"""The approval route: every transition, each refusal, N of M, sending back, objections, delegation."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from kaohe.actions.objections import do_answer_objection, do_file_objection
from kaohe.actions.rounds import (
    do_close_round,
    do_collect_round,
    do_decide_round,
    do_open_round,
    do_publish_round,
    do_send_back_sheet,
)
from kaohe.actions.sheets import AmountChange, SheetConflict, do_set_amounts
from kaohe.actions.transitions import do_transition
from kaohe.models import Delegation, Notification, Rule, ScoreSheet, Signature, TransitionLog
from kaohe.refusals import Refused as RouteRefused

from .conftest import fresh

pytestmark = pytest.mark.django_db


def sheet(round_, section, unit):
    return ScoreSheet.objects.get(round=round_, section__code=section, unit__name=unit)


def sign_all(round_, people):
    for s in round_.sheets.all():
        staff = people["staff2"] if s.section.code == "anquan" else people["staff"]
        head = people["head2"] if s.section.code == "anquan" else people["head"]
        do_transition(s, "submit", acting_user=fresh(staff))
        do_transition(s, "sign", acting_user=fresh(head))


def test_opening_makes_one_sheet_per_section_and_unit(round_, units):
    sections = round_.scheme.indicators.filter(children__isnull=True).values("section").distinct().count()
    assert round_.sheets.count() == sections * len(units)
    assert set(round_.sheets.values_list("state", flat=True)) == {"draft"}


def test_only_an_administrator_opens_and_only_one_round_at_a_time(people, town, round_):
    with pytest.raises(PermissionDenied):
        do_open_round(town, name="x", acting_user=fresh(people["collector"]))
    with pytest.raises(RouteRefused) as refused:
        do_open_round(town, name="x", acting_user=people["admin"])
    assert refused.value.code == "round_running"


def test_submit_sign_and_the_log(round_, people, django_capture_on_commit_callbacks):
    s = sheet(round_, "caitong", "城关镇")
    with django_capture_on_commit_callbacks(execute=True):
        assert do_transition(s, "submit", acting_user=fresh(people["staff"])) == "submitted"
        assert do_transition(s, "sign", acting_user=fresh(people["head"])) == "signed"
    s.refresh_from_db()
    assert (s.state, s.version, s.submitted_by) == ("signed", 3, people["staff"])
    assert list(TransitionLog.objects.filter(sheet=s).values_list("action", "source", "target")) == [
        ("submit", "draft", "submitted"), ("sign", "submitted", "signed")]
    signature = Signature.objects.get(sheet=s)
    assert signature.user == people["head"] and signature.role == "head" and len(signature.digest) == 64
    assert Notification.objects.filter(user=people["collector"], key="sign").exists()
    assert Notification.objects.filter(user=people["head"], key="submit").exists()


def test_refusals_change_nothing(round_, people):
    s = sheet(round_, "caitong", "城关镇")
    with pytest.raises(RouteRefused) as refused:
        do_transition(s, "sign", acting_user=fresh(people["head"]))
    assert refused.value.code == "not_from_this_state"
    with pytest.raises(PermissionDenied):
        do_transition(s, "submit", acting_user=fresh(people["staff2"]))  # another section's staff
    with pytest.raises(PermissionDenied):
        do_transition(s, "submit", acting_user=fresh(people["head"]))  # a head is not staff here
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    with pytest.raises(RouteRefused) as refused:
        do_transition(s, "return", acting_user=fresh(people["head"]), comment="  ")
    assert refused.value.code == "comment_required"
    with pytest.raises(PermissionDenied):
        do_transition(s, "sign", acting_user=fresh(people["head2"]))  # another section's head
    s.refresh_from_db()
    assert (s.state, s.version) == ("submitted", 2)
    assert not Signature.objects.filter(sheet=s).exists()


def test_return_needs_a_comment_and_goes_back_to_staff(round_, people, django_capture_on_commit_callbacks):
    s = sheet(round_, "caitong", "城关镇")
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert do_transition(s, "return", acting_user=fresh(people["head"]), comment="8.1 少扣一次") == "returned"
    assert TransitionLog.objects.filter(sheet=s, action="return").get().comment == "8.1 少扣一次"
    assert Notification.objects.filter(user=people["staff"], key="return").exists()
    assert do_transition(s, "submit", acting_user=fresh(people["staff"])) == "submitted"


def test_the_submitter_cannot_sign_even_holding_both_roles(round_, people):
    from kaohe.models import Membership

    s = sheet(round_, "caitong", "城关镇")
    Membership.objects.create(user=people["staff"], role="head", section=s.section)
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    with pytest.raises(RouteRefused) as refused:
        do_transition(s, "sign", acting_user=fresh(people["staff"]))
    assert refused.value.code == "submitter_cannot_sign"


def test_delegation_signs_in_both_names_only_within_its_dates(round_, people):
    s = sheet(round_, "caitong", "城关镇")
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    today = date.today()
    Delegation.objects.create(head=people["head"], delegate=people["observer"], section=s.section,
                              starts=today + timedelta(days=1), ends=today + timedelta(days=5))
    with pytest.raises(PermissionDenied):
        do_transition(s, "sign", acting_user=fresh(people["observer"]))
    Delegation.objects.update(starts=today - timedelta(days=1))
    do_transition(s, "sign", acting_user=fresh(people["observer"]))
    signature = Signature.objects.get(sheet=s)
    assert (signature.user, signature.on_behalf_of) == (people["observer"], people["head"])
    assert TransitionLog.objects.get(sheet=s, action="sign").on_behalf_of == people["head"]


def test_a_delegate_cannot_sign_what_the_delegating_head_submitted(round_, people):
    from kaohe.models import Membership

    s = sheet(round_, "caitong", "城关镇")
    Membership.objects.create(user=people["head"], role="staff", section=s.section)
    do_transition(s, "submit", acting_user=fresh(people["head"]))
    Delegation.objects.create(head=people["head"], delegate=people["observer"], section=s.section,
                              starts=date.today(), ends=date.today())
    with pytest.raises(RouteRefused):
        do_transition(s, "sign", acting_user=fresh(people["observer"]))


def test_collect_waits_for_every_signature(round_, people):
    with pytest.raises(RouteRefused) as refused:
        do_collect_round(round_, acting_user=fresh(people["collector"]))
    assert refused.value.code == "all_sheets_signed"
    sign_all(round_, people)
    with pytest.raises(PermissionDenied):
        do_collect_round(round_, acting_user=fresh(people["m1"]))
    assert do_collect_round(round_, acting_user=fresh(people["collector"])) == "collected"


def test_meeting_decides_two_of_three_with_resolution_and_date(round_, people, django_capture_on_commit_callbacks):
    sign_all(round_, people)
    do_collect_round(round_, acting_user=fresh(people["collector"]))
    with pytest.raises(RouteRefused) as refused:
        do_decide_round(round_, resolution="", meeting_date=None, acting_user=fresh(people["m1"]))
    assert refused.value.code == "resolution_required"
    assert do_decide_round(round_, resolution="同意考核结果", meeting_date=date(2027, 1, 10),
                           acting_user=fresh(people["m1"])) == "collected"
    with pytest.raises(RouteRefused) as refused:
        do_decide_round(round_, resolution="同意考核结果", meeting_date=None, acting_user=fresh(people["m1"]))
    assert refused.value.code == "already_approved"
    assert do_decide_round(round_, resolution="同意考核结果", meeting_date=None,
                           acting_user=fresh(people["m2"])) == "decided"
    round_.refresh_from_db()
    assert (round_.resolution, round_.meeting_date) == ("同意考核结果", date(2027, 1, 10))
    assert Signature.objects.filter(round=round_, role="meeting").count() == 2
    with pytest.raises(PermissionDenied):
        do_publish_round(round_, acting_user=fresh(people["m1"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert do_publish_round(round_, acting_user=fresh(people["collector"])) == "published"
    round_.refresh_from_db()
    assert round_.published_at is not None
    assert Notification.objects.filter(user=people["town"], key="publish").exists()


def test_meeting_sends_one_sheet_back_and_the_round_reopens(round_, people):
    sign_all(round_, people)
    do_collect_round(round_, acting_user=fresh(people["collector"]))
    do_decide_round(round_, resolution="初步同意", meeting_date=date(2027, 1, 10), acting_user=fresh(people["m1"]))
    s = sheet(round_, "anquan", "东山镇")
    with pytest.raises(RouteRefused):
        do_send_back_sheet(s, comment="", acting_user=fresh(people["m2"]))
    assert do_send_back_sheet(s, comment="安全项需复核", acting_user=fresh(people["m2"])) == "returned"
    round_.refresh_from_db()
    assert (round_.state, round_.resolution) == ("open", "")
    assert not round_.approvals.exists()
    do_transition(s, "submit", acting_user=fresh(people["staff2"]))
    do_transition(s, "sign", acting_user=fresh(people["head2"]))
    assert do_collect_round(round_, acting_user=fresh(people["collector"])) == "collected"


def publish(round_, people):
    sign_all(round_, people)
    do_collect_round(round_, acting_user=fresh(people["collector"]))
    for member in ("m1", "m2"):
        do_decide_round(round_, resolution="同意", meeting_date=date(2027, 1, 10), acting_user=fresh(people[member]))
    do_publish_round(round_, acting_user=fresh(people["collector"]))
    round_.refresh_from_db()


def test_objection_reopens_the_sheet_which_walks_again_and_is_answered(round_, people,
                                                                     django_capture_on_commit_callbacks):
    publish(round_, people)
    s = sheet(round_, "caitong", "城关镇")
    with pytest.raises(PermissionDenied):
        do_file_objection(s, reason="x", acting_user=fresh(people["town2"]))  # another town
    objection = do_file_objection(s, reason="8.1 报表实际按时上报", acting_user=fresh(people["town"]))
    s.refresh_from_db()
    assert s.state == "returned"
    with pytest.raises(RouteRefused) as refused:
        do_close_round(round_, acting_user=fresh(people["collector"]))
    assert refused.value.code == "ready_to_close"  # no open objection, and plans in place
    with pytest.raises(PermissionDenied):
        do_answer_objection(objection, answer="维持", acting_user=fresh(people["head2"]))
    # The answer is kept whatever then happens to the sheet: it may come before the sheet is signed again.
    with django_capture_on_commit_callbacks(execute=True):
        do_answer_objection(objection, answer="经核实，维持原评分", acting_user=fresh(people["head"]))
    objection.refresh_from_db()
    assert objection.answer == "经核实，维持原评分" and objection.answered_by == people["head"]
    assert Notification.objects.filter(user=people["town"], key="objection_answered").exists()
    with pytest.raises(RouteRefused) as refused:
        do_close_round(round_, acting_user=fresh(people["collector"]))
    assert refused.value.code == "ready_to_close"  # the returned sheet is not signed again yet
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    do_transition(s, "sign", acting_user=fresh(people["head"]))
    objection.refresh_from_db()
    assert objection.answer == "经核实，维持原评分"
    assert do_close_round(round_, acting_user=fresh(people["collector"])) == "closed"


def test_objection_window_closes(round_, people):
    publish(round_, people)
    type(round_).objects.filter(pk=round_.pk).update(objection_days=0,
                                                     published_at=round_.published_at - timedelta(days=2))
    s = sheet(round_, "caitong", "城关镇")
    with pytest.raises(RouteRefused) as refused:
        do_file_objection(s, reason="晚了", acting_user=fresh(people["town"]))
    assert refused.value.code == "within_objection_window"
    s.refresh_from_db()
    assert s.state == "signed"


def test_amounts_from_the_grid_reverse_earlier_rows_and_check_the_version(round_, people):
    s = sheet(round_, "anquan", "城关镇")
    rule = Rule.objects.get(scheme=round_.scheme, code="7.a")
    do_set_amounts([AmountChange(s, rule, D("-3"), "台帐不全", s.version)], acting_user=fresh(people["staff2"]))
    s.refresh_from_db()
    do_set_amounts([AmountChange(s, rule, D("-2"), "复核后调整", s.version)], acting_user=fresh(people["staff2"]))
    from kaohe.services.scoring import score

    assert score(round_.scheme, units=["城关镇"]).unit("城关镇").items["7"].score == D(6)
    stale = s.version
    s.refresh_from_db()
    with pytest.raises(SheetConflict):
        do_set_amounts([AmountChange(s, rule, D("-1"), "x", stale)], acting_user=fresh(people["staff2"]))
    assert score(round_.scheme, units=["城关镇"]).unit("城关镇").items["7"].score == D(6)


def test_signed_content_cannot_be_edited(round_, people):
    s = sheet(round_, "anquan", "城关镇")
    rule = Rule.objects.get(scheme=round_.scheme, code="7.a")
    do_transition(s, "submit", acting_user=fresh(people["staff2"]))
    s.refresh_from_db()
    with pytest.raises(RouteRefused) as locked:
        do_set_amounts([AmountChange(s, rule, D("-3"), "x", s.version)], acting_user=fresh(people["staff2"]))
    assert locked.value.code == "sheet_submitted" and not isinstance(locked.value, PermissionDenied)
    with pytest.raises(PermissionDenied):  # another section's staff: a role refusal
        do_set_amounts([AmountChange(s, rule, D("-3"), "x", s.version)], acting_user=fresh(people["staff"]))
    from kaohe.actions.ledger import do_record_entry

    with pytest.raises(RouteRefused) as refused:
        do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "7.a", "points": "-1", "date": "2026-05-01",
                                              "note": "x"}, acting_user=fresh(people["staff2"]))
    assert refused.value.code == "sheet_submitted"


def test_a_head_delegates_from_the_desk_and_others_cannot(client, round_, people):
    from django.urls import reverse

    section = sheet(round_, "caitong", "城关镇").section
    data = {"section": section.pk, "delegate": people["staff"].pk, "starts": "2026-12-01", "ends": "2026-12-31"}
    client.force_login(people["staff2"])
    assert client.post(reverse("kaohe:delegate"), data).status_code == 403  # not this section's head
    assert not Delegation.objects.exists()
    client.force_login(people["head"])
    for outsider in ("observer", "town", "head2"):  # no role in the section, a town, another section's head
        client.post(reverse("kaohe:delegate"), {**data, "delegate": people[outsider].pk})
    assert not Delegation.objects.exists()
    client.post(reverse("kaohe:delegate"), data)
    delegation = Delegation.objects.get()
    assert (delegation.head, delegation.delegate, delegation.section) == (people["head"], people["staff"], section)


def test_each_transition_sends_mail_to_who_acts_next(round_, people, mailoutbox, django_capture_on_commit_callbacks):
    s = sheet(round_, "caitong", "城关镇")
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(s, "submit", acting_user=fresh(people["staff"]))
    assert [m.to for m in mailoutbox] == [["head@example.invalid"]]
    assert "等待签署" in mailoutbox[0].subject
