"""Who may do what, in which state: a role × action × state matrix over the write layer (``kaohe.actions``).

Each case names the action, the state it is tried in and the role trying it ("sign-submitted-head"). Its
setup brings the round to that state through the route itself, as the right roles; then the action is
tried once and the outcome checked exactly:

* allowed: the state moves as expected, exactly the expected rows are added, and an audit event of the
  acting user names the concept ("sheet.sign", "ledger.add", "round.collect");
* refused for the role: NotAllowed (a PermissionDenied) with its code;
* refused for the state or a lock: Refused, not NotAllowed, with its code;

and after any refusal nothing has changed: no state, no version, no row of the ledger, the signatures,
the route log or the audit trail (nor of plans, objections, delegations, schemes, imports).

The sheet under test is 财统科 (caitong) · 城关镇, where ``staff`` is staff and ``head`` is head; ``staff2`` and
``head2`` hold 安全科 (anquan). ``staff`` and ``head`` also hold every other section (see conftest).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from kaohe.actions.delegations import do_delegate_signing
from kaohe.actions.economy import do_import_economy
from kaohe.actions.ledger import do_import_ledger, do_record_entry, do_reverse_entry
from kaohe.actions.objections import do_answer_objection, do_file_objection
from kaohe.actions.plans import do_save_plan
from kaohe.actions.records import do_save_record
from kaohe.actions.rounds import (
    do_close_round,
    do_collect_round,
    do_decide_round,
    do_publish_round,
    do_recollect_round,
    do_send_back_sheet,
)
from kaohe.actions.schemes import do_copy_scheme
from kaohe.actions.sheets import AmountChange, do_set_amounts
from kaohe.actions.transitions import do_transition
from kaohe.actions.units import do_import_units
from kaohe.imports.errors import ImportRejected
from kaohe.models import (
    Approval,
    AuditEvent,
    Delegation,
    ImportBatch,
    ImprovementPlan,
    LedgerEntry,
    Objection,
    PublishedResult,
    Round,
    Rule,
    Scheme,
    ScoreSheet,
    Signature,
    TransitionLog,
    Unit,
)
from kaohe.refusals import NotAllowed, Refused
from kaohe.scoring import AsOf

from .conftest import fresh

pytestmark = pytest.mark.django_db

SECTION, UNIT = "caitong", "城关镇"
TRACKED = (LedgerEntry, Signature, TransitionLog, AuditEvent, Approval, Objection, ImprovementPlan, Delegation,
           Scheme, PublishedResult, ImportBatch, Unit)
MEETING_DAY = date(2027, 1, 10)


# ------------------------------------------------------------------ outcomes


@dataclass(frozen=True)
class Ok:
    """Allowed: ``audit`` prefixes the action of an audit event of the acting user; ``rows`` are the exact
    changes in the tracked row counts (every other stays); ``sheet``/``round`` the states afterwards."""

    audit: str
    rows: dict = field(default_factory=dict)
    sheet: str | None = None
    round: str | None = None
    version: int | None = None  # how much the sheet's version moves (an open grid page then sees a conflict)
    check: Callable | None = None  # anything else that must hold afterwards: check(ctx, user)


@dataclass(frozen=True)
class Denied:
    """Refused for the role: NotAllowed with this code."""

    code: str


@dataclass(frozen=True)
class No:
    """Refused for the state, a lock or the input: Refused (not NotAllowed) with this code."""

    code: str


@dataclass(frozen=True)
class Rejected:
    """An import refused as a whole: ImportRejected whose row errors carry exactly these codes."""

    codes: frozenset


def rows(**deltas) -> dict:
    return deltas


# ------------------------------------------------------------------ getting to a state, as the right roles


def sheet_of(ctx, section: str = SECTION, unit: str = UNIT) -> ScoreSheet:
    return ScoreSheet.objects.get(round=ctx.round, section__code=section, unit__name=unit)


def as_(ctx, key: str):
    return fresh(ctx.people[key])


def _staff_and_head(sheet) -> tuple[str, str]:
    return ("staff2", "head2") if sheet.section.code == "anquan" else ("staff", "head")


def sign_every_sheet(ctx) -> None:
    for sheet in ScoreSheet.objects.filter(round=ctx.round).select_related("section").exclude(state="signed"):
        staff, head = _staff_and_head(sheet)
        if sheet.state != "submitted":
            do_transition(sheet, "submit", acting_user=as_(ctx, staff))
        do_transition(sheet, "sign", acting_user=as_(ctx, head))


def record(ctx, who: str = "staff", rule: str = "8.1.a", unit: str = UNIT, day: str = "2026-05-01"):
    return do_record_entry(ctx.scheme, cells={"unit": unit, "rule": rule, "quantity": "1", "date": day,
                                              "note": "报表迟报"}, acting_user=as_(ctx, who))


def _entry(ctx) -> None:
    ctx.entry = record(ctx)


def _reversed(ctx) -> None:
    ctx.reversal = do_reverse_entry(ctx.entry, reason="录入有误", acting_user=as_(ctx, "staff"))


def _object(ctx) -> None:
    ctx.objection = do_file_objection(sheet_of(ctx), reason="8.1 报表实际按时上报", acting_user=as_(ctx, "town"))


def _amend(ctx) -> None:
    """After an objection: the section changes the score and signs the sheet again."""
    record(ctx)
    do_transition(sheet_of(ctx), "submit", acting_user=as_(ctx, "staff"))
    do_transition(sheet_of(ctx), "sign", acting_user=as_(ctx, "head"))


def _window_closed(ctx) -> None:
    Round.objects.filter(pk=ctx.round.pk).update(objection_days=0,
                                                 published_at=ctx.round.published_at - timedelta(days=2))


def _delegated(ctx) -> None:
    do_delegate_signing(section=sheet_of(ctx).section, delegate=ctx.people["staff"], starts=date.today(),
                        ends=date.today() + timedelta(days=7), acting_user=as_(ctx, "head"))


STEPS: dict[str, Callable] = {
    "entry": _entry,
    "reversed": _reversed,
    "submit": lambda ctx: do_transition(sheet_of(ctx), "submit", acting_user=as_(ctx, "staff")),
    "sign": lambda ctx: do_transition(sheet_of(ctx), "sign", acting_user=as_(ctx, "head")),
    "return": lambda ctx: do_transition(sheet_of(ctx), "return", acting_user=as_(ctx, "head"), comment="8.1 少扣"),
    "sign_all": sign_every_sheet,
    "collect": lambda ctx: do_collect_round(ctx.round, acting_user=as_(ctx, "collector")),
    "decide1": lambda ctx: do_decide_round(ctx.round, resolution="同意", meeting_date=MEETING_DAY,
                                           acting_user=as_(ctx, "m1")),
    "decide2": lambda ctx: do_decide_round(ctx.round, resolution="同意", meeting_date=None,
                                           acting_user=as_(ctx, "m2")),
    "publish": lambda ctx: do_publish_round(ctx.round, acting_user=as_(ctx, "collector")),
    "object": _object,
    "answer": lambda ctx: do_answer_objection(ctx.objection, answer="经核实，予以更正", acting_user=as_(ctx, "head")),
    "amend": _amend,
    "window_closed": _window_closed,
    "close": lambda ctx: do_close_round(ctx.round, acting_user=as_(ctx, "collector")),
    "delegated": _delegated,
    "imported": lambda ctx: import_ledger()(ctx, as_(ctx, "admin")),
}

DRAFT = ()
SUBMITTED = ("submit",)
SIGNED = ("submit", "sign")
RETURNED = ("submit", "return")
ALL_SIGNED = ("sign_all",)
COLLECTED = (*ALL_SIGNED, "collect")
APPROVING = (*COLLECTED, "decide1")  # one meeting member of two has approved
DECIDED = (*APPROVING, "decide2")
PUBLISHED = (*DECIDED, "publish")
OBJECTED = (*PUBLISHED, "object")
ANSWERED = (*OBJECTED, "answer")
CHANGED = (*ANSWERED, "amend")  # an upheld objection changed the published result
CLOSED = (*PUBLISHED, "close")


# ------------------------------------------------------------------ the actions tried


def transition(action: str, comment: str = ""):
    return lambda ctx, user: do_transition(sheet_of(ctx), action, acting_user=user, comment=comment)


def send_back(comment: str = "安全项需复核"):
    return lambda ctx, user: do_send_back_sheet(sheet_of(ctx), comment=comment, acting_user=user)


def file_objection(reason: str = "8.1 报表实际按时上报"):
    return lambda ctx, user: do_file_objection(sheet_of(ctx), reason=reason, acting_user=user)


def answer(text: str = "经核实，维持原评分"):
    return lambda ctx, user: do_answer_objection(ctx.objection, answer=text, acting_user=user)


def collect(ctx, user):
    return do_collect_round(ctx.round, acting_user=user)


def decide(resolution: str = "同意考核结果", meeting_date: date | None = MEETING_DAY):
    return lambda ctx, user: do_decide_round(ctx.round, resolution=resolution, meeting_date=meeting_date,
                                             acting_user=user)


def publish(ctx, user):
    return do_publish_round(ctx.round, acting_user=user)


def recollect(ctx, user):
    return do_recollect_round(ctx.round, comment="申诉更正", acting_user=user)


def close(ctx, user):
    return do_close_round(ctx.round, acting_user=user)


def record_entry(rule: str = "8.1.a", unit: str = UNIT):
    return lambda ctx, user: do_record_entry(ctx.scheme, cells={"unit": unit, "rule": rule, "quantity": "1",
                                                                "date": "2026-06-01", "note": "又一次迟报"},
                                             acting_user=user)


def reverse(reason: str = "录入有误", which: str = "entry"):
    return lambda ctx, user: do_reverse_entry(getattr(ctx, which), reason=reason, acting_user=user)


def set_amount(points: str = "-2", rule: str = "8.4.a", note: str = "台帐不全", stale: bool = False):
    def act(ctx, user):
        sheet = sheet_of(ctx)
        version = sheet.version - 1 if stale else sheet.version
        change = AmountChange(sheet, Rule.objects.get(scheme=ctx.scheme, code=rule), D(points), note, version)
        return do_set_amounts([change], acting_user=user)

    return act


def save_plan(actions: str = "整改台帐, 每月复查", owner: str = "城关镇企业服务中心",
              due: date | None = date(2027, 3, 1)):
    return lambda ctx, user: do_save_plan(ctx.round, ctx.units[UNIT], actions=actions, owner=owner, due=due,
                                          acting_user=user)


def delegate(to: str = "staff", starts: date | None = date(2026, 12, 1), ends: date | None = date(2026, 12, 31)):
    return lambda ctx, user: do_delegate_signing(section=sheet_of(ctx).section, delegate=ctx.people[to],
                                                 starts=starts, ends=ends, acting_user=user)


def copy_scheme(year: int = 2027):
    return lambda ctx, user: do_copy_scheme(ctx.scheme, year=year, acting_user=user)


def save_rule(code: str = "8.1.a", **values):
    values = values or {"name": "缺报、迟报、漏报、数据出错（每次，含补报）"}

    def act(ctx, user):
        rule = Rule.objects.get(scheme=ctx.scheme, code=code)
        for name, value in values.items():
            setattr(rule, name, value)
        return do_save_record(rule, acting_user=user, reason="细则修订")

    return act


def save_scheme(ctx, user):
    scheme = Scheme.objects.get(pk=ctx.scheme.pk)
    scheme.decimal_places = 3
    return do_save_record(scheme, acting_user=user)


def import_ledger(rule: str = "8.1.a"):
    text = f"unit,rule,quantity,date,note\n城关镇,{rule},1,2026-06-01,迟报\n东山镇,{rule},2,2026-06-02,迟报\n"
    return lambda ctx, user: do_import_ledger(text.encode(), "ledger.csv", ctx.scheme, acting_user=user)


def import_units(group: str = "town"):
    text = f"name,group\n{UNIT},{group}\n北山镇,town\n"
    return lambda ctx, user: do_import_units(text.encode(), "units.csv", acting_user=user)


def import_economy(ctx, user):
    text = "unit,indicator,target,actual\n城关镇,output,100,60\n东山镇,output,80,50\n"
    return do_import_economy(text.encode(), "economy.csv", ctx.scheme, AsOf(2026, 6), acting_user=user)


# ------------------------------------------------------------------ extra checks of allowed outcomes


def answered_by(key: str):
    def check(ctx, user):
        objection = Objection.objects.get(pk=ctx.objection.pk)
        assert objection.answered_by == ctx.people[key] and objection.answered_at is not None

    return check


def round_cleared(ctx, user):
    found = Round.objects.get(pk=ctx.round.pk)
    assert (found.resolution, found.meeting_date) == ("", None)
    assert not Approval.objects.filter(round=found).exists()


def resolution_kept(ctx, user):
    found = Round.objects.get(pk=ctx.round.pk)
    assert (found.resolution, found.meeting_date) == ("同意考核结果", MEETING_DAY)


def entry_by(ctx, user):
    assert LedgerEntry.objects.order_by("-pk").first().created_by == user


def reversal_of_entry(ctx, user):
    assert LedgerEntry.objects.order_by("-pk").first().reverses_id == ctx.entry.pk


def rule_renamed(ctx, user):
    assert Rule.objects.get(scheme=ctx.scheme, code="8.1.a").name.endswith("（每次，含补报）")


def plan_by(ctx, user):
    assert ImprovementPlan.objects.get(round=ctx.round, unit=ctx.units[UNIT]).created_by == user


# ------------------------------------------------------------------ the matrix

ROLE = "role_required"  # the route's refusal of a role


def case(id_: str, given: tuple, act: Callable, role: str, outcome, xfail: str | None = None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(given, act, role, outcome, id=id_, marks=marks)


SUBMIT = Ok("sheet.submit", rows(TransitionLog=1, AuditEvent=1), sheet="submitted", version=1)
SIGN = Ok("sheet.sign", rows(Signature=1, TransitionLog=1, AuditEvent=1), sheet="signed", version=1)
LEDGER_ADD = Ok("ledger.add", rows(LedgerEntry=1, AuditEvent=1), version=1, check=entry_by)
LEDGER_ADD_ELSEWHERE = Ok("ledger.add", rows(LedgerEntry=1, AuditEvent=1), version=0, check=entry_by)
LEDGER_REVERSE = Ok("ledger.reverse", rows(LedgerEntry=1, AuditEvent=1), version=1, check=reversal_of_entry)
AMOUNT = Ok("sheet.amount", rows(LedgerEntry=1, AuditEvent=1), version=1, check=entry_by)
PLAN = Ok("plan.save", rows(ImprovementPlan=1, AuditEvent=1), check=plan_by)

CASES = [
    # ---- submit: staff of the section, from draft (round open) or returned
    case("submit-draft-staff", DRAFT, transition("submit"), "staff", SUBMIT),
    case("submit-returned-staff", RETURNED, transition("submit"), "staff", SUBMIT),
    *[case(f"submit-draft-{r}", DRAFT, transition("submit"), r, Denied(ROLE))
      for r in ("head", "staff2", "head2", "admin", "collector", "m1", "town", "observer")],
    case("submit-submitted-staff", SUBMITTED, transition("submit"), "staff", No("not_from_this_state")),
    case("submit-signed-staff", SIGNED, transition("submit"), "staff", No("not_from_this_state")),
    case("submit-collected-staff", COLLECTED, transition("submit"), "staff", No("not_from_this_state")),
    # ---- sign: the section's head, never the submitter
    case("sign-submitted-head", SUBMITTED, transition("sign"), "head", SIGN),
    *[case(f"sign-submitted-{r}", SUBMITTED, transition("sign"), r, Denied(ROLE))
      for r in ("staff", "staff2", "head2", "admin", "collector", "m1", "town", "observer")],
    case("sign-draft-head", DRAFT, transition("sign"), "head", No("not_from_this_state")),
    case("sign-returned-head", RETURNED, transition("sign"), "head", No("not_from_this_state")),
    case("sign-signed-head", SIGNED, transition("sign"), "head", No("not_from_this_state")),
    case("sign-submitted-delegated_submitter", ("delegated", "submit"), transition("sign"), "staff",
         No("submitter_cannot_sign")),
    # ---- return: the section's head, with a comment
    case("return-submitted-head", SUBMITTED, transition("return", "8.1 少扣一次"), "head",
         Ok("sheet.return", rows(TransitionLog=1, AuditEvent=1), sheet="returned", version=1)),
    case("return-submitted-head_without_comment", SUBMITTED, transition("return", "  "), "head",
         No("comment_required")),
    *[case(f"return-submitted-{r}", SUBMITTED, transition("return", "x"), r, Denied(ROLE))
      for r in ("staff", "head2", "m1", "admin")],
    case("return-draft-head", DRAFT, transition("return", "x"), "head", No("not_from_this_state")),
    case("return-signed-head", SIGNED, transition("return", "x"), "head", No("not_from_this_state")),
    case("return-returned-head", RETURNED, transition("return", "x"), "head", No("not_from_this_state")),
    # ---- send back: a meeting member, while the round is collected; the round reopens
    case("send_back-collected-m1", COLLECTED, send_back(), "m1",
         Ok("sheet.send_back", rows(TransitionLog=2, AuditEvent=2), sheet="returned", round="open",
            check=round_cleared)),
    case("send_back-approving-m2", APPROVING, send_back(), "m2",
         Ok("sheet.send_back", rows(TransitionLog=2, AuditEvent=2, Approval=-1), sheet="returned", round="open",
            check=round_cleared)),
    case("send_back-collected-m1_without_comment", COLLECTED, send_back(""), "m1", No("comment_required")),
    *[case(f"send_back-collected-{r}", COLLECTED, send_back(), r, Denied(ROLE))
      for r in ("collector", "head", "admin", "town")],
    case("send_back-signed_round_open-m1", SIGNED, send_back(), "m1", No("round_collected")),
    case("send_back-decided-m1", DECIDED, send_back(), "m1", No("round_collected")),
    case("send_back-submitted-m1", SUBMITTED, send_back(), "m1", No("not_from_this_state")),
    case("send_back-returned-m1", RETURNED, send_back(), "m1", No("not_from_this_state")),
    # ---- object: the unit itself, within the window after publication
    case("object-published-town", PUBLISHED, file_objection(), "town",
         Ok("objection.file", rows(Objection=1, TransitionLog=1, AuditEvent=2), sheet="returned",
            round="published")),
    *[case(f"object-published-{r}", PUBLISHED, file_objection(), r, Denied("unit_only"))
      for r in ("town2", "staff", "head", "collector", "observer", "admin")],
    case("object-published-town_without_reason", PUBLISHED, file_objection(" "), "town", No("comment_required")),
    case("object-objected-town", OBJECTED, file_objection(), "town", No("not_from_this_state")),
    case("object-window_closed-town", (*PUBLISHED, "window_closed"), file_objection(), "town",
         No("within_objection_window")),
    case("object-signed_round_open-town", SIGNED, file_objection(), "town", No("within_objection_window")),
    case("object-collected-town", COLLECTED, file_objection(), "town", No("within_objection_window")),
    # ---- answer an objection: the section's head or the collector, once
    case("answer-objected-head", OBJECTED, answer(), "head",
         Ok("objection.answer", rows(AuditEvent=1), sheet="returned", check=answered_by("head"))),
    case("answer-objected-collector", OBJECTED, answer(), "collector",
         Ok("objection.answer", rows(AuditEvent=1), check=answered_by("collector"))),
    *[case(f"answer-objected-{r}", OBJECTED, answer(), r, Denied("head_or_collector"))
      for r in ("head2", "staff", "town", "m1", "admin", "observer")],
    case("answer-answered-head", ANSWERED, answer(), "head", No("already_answered")),
    case("answer-objected-head_without_text", OBJECTED, answer(" "), "head", No("comment_required")),
    # ---- collect: the collector, once every sheet is signed
    case("collect-all_signed-collector", ALL_SIGNED, collect, "collector",
         Ok("round.collect", rows(Signature=1, TransitionLog=1, AuditEvent=1), round="collected")),
    *[case(f"collect-all_signed-{r}", ALL_SIGNED, collect, r, Denied(ROLE))
      for r in ("m1", "admin", "staff", "head", "town")],
    case("collect-signed-collector", SIGNED, collect, "collector", No("all_sheets_signed")),
    case("collect-collected-collector", COLLECTED, collect, "collector", No("not_from_this_state")),
    case("collect-published-collector", PUBLISHED, collect, "collector", No("not_from_this_state")),
    # ---- decide: two meeting members of three; the first gives the resolution and the date
    case("decide-collected-m1", COLLECTED, decide(), "m1",
         Ok("round.decide:approve", rows(Signature=1, Approval=1, TransitionLog=1, AuditEvent=1),
            round="collected", check=resolution_kept)),
    case("decide-approving-m2", APPROVING, decide(meeting_date=None), "m2",
         Ok("round.decide", rows(Signature=1, Approval=-1, TransitionLog=1, AuditEvent=1), round="decided")),
    case("decide-approving-m1_again", APPROVING, decide(), "m1", No("already_approved")),
    case("decide-collected-m1_without_resolution", COLLECTED, decide(resolution=" "), "m1",
         No("resolution_required")),
    case("decide-collected-m1_without_date", COLLECTED, decide(meeting_date=None), "m1",
         No("resolution_required")),
    *[case(f"decide-collected-{r}", COLLECTED, decide(), r, Denied(ROLE))
      for r in ("collector", "admin", "head", "town")],
    case("decide-collected-collector_without_resolution", COLLECTED, decide(resolution=""), "collector",
         Denied(ROLE)),
    case("decide-open-m1", ALL_SIGNED, decide(), "m1", No("not_from_this_state")),
    case("decide-decided-m3", DECIDED, decide(), "m3", No("not_from_this_state")),
    # ---- publish: the collector, once decided
    case("publish-decided-collector", DECIDED, publish, "collector",
         Ok("round.publish", rows(PublishedResult=1, TransitionLog=1, AuditEvent=2), round="published")),
    *[case(f"publish-decided-{r}", DECIDED, publish, r, Denied(ROLE)) for r in ("m1", "admin", "head")],
    case("publish-approving-collector", APPROVING, publish, "collector", No("not_from_this_state")),
    case("publish-published-collector", PUBLISHED, publish, "collector", No("not_from_this_state")),
    # ---- recollect: the collector, only when an objection changed the published result
    case("recollect-changed-collector", CHANGED, recollect, "collector",
         Ok("round.recollect", rows(Signature=1, TransitionLog=1, AuditEvent=1), round="collected",
            check=round_cleared)),
    *[case(f"recollect-changed-{r}", CHANGED, recollect, r, Denied(ROLE)) for r in ("m1", "admin")],
    case("recollect-published-collector", PUBLISHED, recollect, "collector", No("result_changed")),
    case("recollect-answered-collector", ANSWERED, recollect, "collector", No("result_changed")),
    case("recollect-collected-collector", COLLECTED, recollect, "collector", No("not_from_this_state")),
    # ---- close: the collector, with no open objection and nothing unpublished
    case("close-published-collector", PUBLISHED, close, "collector",
         Ok("round.close", rows(TransitionLog=1, AuditEvent=1), round="closed")),
    *[case(f"close-published-{r}", PUBLISHED, close, r, Denied(ROLE)) for r in ("m1", "admin", "town")],
    case("close-objected-collector", OBJECTED, close, "collector", No("ready_to_close")),
    case("close-changed-collector", CHANGED, close, "collector", No("ready_to_close")),
    case("close-decided-collector", DECIDED, close, "collector", No("not_from_this_state")),
    case("close-closed-collector", CLOSED, close, "collector", No("not_from_this_state")),
    # ---- a ledger row: staff of the rule's section (or an administrator), while the sheet is editable
    case("ledger_add-draft-staff", DRAFT, record_entry(), "staff", LEDGER_ADD),
    case("ledger_add-draft-admin", DRAFT, record_entry(), "admin", LEDGER_ADD),
    case("ledger_add-returned-staff", RETURNED, record_entry(), "staff", LEDGER_ADD),
    case("ledger_add-objected-staff", OBJECTED, record_entry(), "staff", LEDGER_ADD),
    case("ledger_add-submitted-staff_other_unit", SUBMITTED, record_entry(unit="东山镇"), "staff",
         LEDGER_ADD_ELSEWHERE),
    *[case(f"ledger_add-draft-{r}", DRAFT, record_entry(), r, Denied("other_section"))
      for r in ("staff2", "head", "head2", "collector", "m1", "town", "observer")],
    case("ledger_add-submitted-staff", SUBMITTED, record_entry(), "staff", No("sheet_submitted")),
    case("ledger_add-submitted-admin", SUBMITTED, record_entry(), "admin", No("sheet_submitted")),
    case("ledger_add-signed-staff", SIGNED, record_entry(), "staff", No("sheet_signed")),
    case("ledger_add-collected-staff", COLLECTED, record_entry(), "staff", No("sheet_signed")),
    case("ledger_add-submitted-staff2", SUBMITTED, record_entry(), "staff2", Denied("other_section")),
    case("ledger_add-signed-town", SIGNED, record_entry(), "town", Denied("other_section")),
    case("ledger_add-signed-observer", SIGNED, record_entry(), "observer", Denied("other_section")),
    case("ledger_add_veto-draft-admin", DRAFT, record_entry("veto.accident"), "admin", LEDGER_ADD_ELSEWHERE),
    case("ledger_add_veto-draft-staff", DRAFT, record_entry("veto.accident"), "staff", Denied("other_section")),
    case("ledger_add_veto-collected-admin", COLLECTED, record_entry("veto.accident"), "admin", No("round_frozen")),
    # ---- a reversal: the same, and never twice
    case("ledger_reverse-draft-staff", ("entry",), reverse(), "staff", LEDGER_REVERSE),
    case("ledger_reverse-draft-admin", ("entry",), reverse(), "admin", LEDGER_REVERSE),
    case("ledger_reverse-returned-staff", ("entry", *RETURNED), reverse(), "staff", LEDGER_REVERSE),
    *[case(f"ledger_reverse-draft-{r}", ("entry",), reverse(), r, Denied("other_section"))
      for r in ("staff2", "head", "collector", "town", "observer")],
    case("ledger_reverse-draft-staff_without_reason", ("entry",), reverse(" "), "staff", No("reason_required")),
    case("ledger_reverse-submitted-staff", ("entry", *SUBMITTED), reverse(), "staff", No("sheet_submitted")),
    case("ledger_reverse-signed-staff", ("entry", *SIGNED), reverse(), "staff", No("sheet_signed")),
    case("ledger_reverse-signed-admin", ("entry", *SIGNED), reverse(), "admin", No("sheet_signed")),
    *[case(f"ledger_reverse-signed-{r}", ("entry", *SIGNED), reverse(), r, Denied("other_section"))
      for r in ("staff2", "town", "observer")],
    case("ledger_reverse-reversed-staff", ("entry", "reversed"), reverse(), "staff", No("already_reversed")),
    case("ledger_reverse-reversal-staff", ("entry", "reversed"), reverse(which="reversal"), "staff",
         No("reversal_of_reversal")),
    # ---- discretionary amounts from the grid: staff of the section, editable sheet, current version
    case("amount-draft-staff", DRAFT, set_amount(), "staff", AMOUNT),
    case("amount-returned-staff", RETURNED, set_amount(), "staff", AMOUNT),
    *[case(f"amount-draft-{r}", DRAFT, set_amount(), r, Denied("sheet_not_editable"))
      for r in ("staff2", "head", "head2", "admin", "collector", "town", "observer")],
    case("amount-draft-staff_other_sections_rule", DRAFT, set_amount(rule="7.a"), "staff", Denied("other_section")),
    case("amount-draft-staff_stale_page", DRAFT, set_amount(stale=True), "staff", No("sheet_conflict")),
    case("amount-draft-staff_out_of_range", DRAFT, set_amount("-5"), "staff", No("rows_rejected")),
    case("amount-draft-staff_without_reason", DRAFT, set_amount(note=" "), "staff", No("rows_rejected")),
    case("amount-submitted-staff", SUBMITTED, set_amount(), "staff", No("sheet_submitted")),
    case("amount-signed-staff", SIGNED, set_amount(), "staff", No("sheet_signed")),
    case("amount-submitted-staff2", SUBMITTED, set_amount(), "staff2", Denied("sheet_not_editable")),
    # ---- improvement plans: the collector, the administrator or a head of a scoring section; not once closed
    *[case(f"plan-open-{r}", DRAFT, save_plan(), r, PLAN) for r in ("admin", "collector", "head", "head2")],
    case("plan-published-collector", PUBLISHED, save_plan(), "collector", PLAN),
    *[case(f"plan-open-{r}", DRAFT, save_plan(), r, Denied("plan_writers"))
      for r in ("staff", "staff2", "m1", "town", "observer")],
    case("plan-closed-collector", CLOSED, save_plan(), "collector", No("round_closed")),
    case("plan-closed-town", CLOSED, save_plan(), "town", Denied("plan_writers")),
    case("plan-open-collector_without_owner", DRAFT, save_plan(owner=" "), "collector", No("plan_incomplete")),
    case("plan-open-collector_without_due", DRAFT, save_plan(due=None), "collector", No("plan_incomplete")),
    # ---- delegating the signing: only the section's own head, to its own people, for dated days
    case("delegate-open-head", DRAFT, delegate(), "head",
         Ok("delegation.add", rows(Delegation=1, AuditEvent=1))),
    case("delegate-submitted-head", SUBMITTED, delegate(), "head",
         Ok("delegation.add", rows(Delegation=1, AuditEvent=1))),
    *[case(f"delegate-open-{r}", DRAFT, delegate(), r, Denied("not_section_head"))
      for r in ("staff", "head2", "admin", "collector", "town")],
    case("delegate-delegated-staff_passes_it_on", ("delegated",), delegate("head"), "staff",
         Denied("not_section_head")),
    case("delegate-open-head_to_observer", DRAFT, delegate("observer"), "head", No("delegate_not_in_section")),
    case("delegate-open-head_to_staff2", DRAFT, delegate("staff2"), "head", No("delegate_not_in_section")),
    case("delegate-open-head_to_town", DRAFT, delegate("town"), "head", No("delegate_is_unit")),
    case("delegate-open-head_to_self", DRAFT, delegate("head"), "head", No("self_delegation")),
    case("delegate-open-head_without_dates", DRAFT, delegate(ends=None), "head", No("dates_required")),
    case("delegate-open-head_ends_before_start", DRAFT, delegate(ends=date(2026, 11, 30)), "head",
         No("bad_dates")),
    # ---- copying a scheme: administrators only
    case("copy_scheme-open-admin", DRAFT, copy_scheme(), "admin", Ok("scheme.copy", rows(Scheme=1, AuditEvent=1))),
    case("copy_scheme-signed-admin", SIGNED, copy_scheme(), "admin", Ok("scheme.copy", rows(Scheme=1, AuditEvent=1))),
    *[case(f"copy_scheme-open-{r}", DRAFT, copy_scheme(), r, Denied("admin_only"))
      for r in ("staff", "head", "collector", "m1", "town", "observer")],
    case("copy_scheme-existing_year-admin", DRAFT, copy_scheme(2026), "admin", No("scheme_exists")),
    # ---- saving a record (admin edit): administrators only, not what a signed sheet rests on
    case("save_rule-draft-admin", DRAFT, save_rule(), "admin", Ok("rule.change", rows(AuditEvent=1),
                                                                  check=rule_renamed)),
    case("save_rule-returned-admin", RETURNED, save_rule(), "admin", Ok("rule.change", rows(AuditEvent=1))),
    case("save_rule_other_section-signed-admin", SIGNED, save_rule("7.a"), "admin",
         Ok("rule.change", rows(AuditEvent=1))),
    *[case(f"save_rule-draft-{r}", DRAFT, save_rule(), r, Denied("admin_only"))
      for r in ("staff", "head", "collector", "m1", "town", "observer")],
    case("save_rule-submitted-admin", SUBMITTED, save_rule(), "admin", No("sheet_submitted")),
    case("save_rule-signed-admin", SIGNED, save_rule(), "admin", No("sheet_signed")),
    case("save_rule-draft-admin_invalid", DRAFT, save_rule(amount=None), "admin", No("invalid")),
    case("save_scheme-draft-admin", DRAFT, save_scheme, "admin", Ok("scheme.change", rows(AuditEvent=1))),
    case("save_scheme-signed-admin", SIGNED, save_scheme, "admin", No("sheet_signed")),
    case("save_scheme-collected-admin", COLLECTED, save_scheme, "admin", No("round_frozen")),
    case("save_scheme-draft-staff", DRAFT, save_scheme, "staff", Denied("admin_only")),
    # ---- importing ledger rows: each row checked for the user's section and the locks
    case("import_ledger-draft-admin", DRAFT, import_ledger(), "admin",
         Ok("ledger.import", rows(LedgerEntry=2, ImportBatch=1, AuditEvent=1))),
    case("import_ledger-draft-staff", DRAFT, import_ledger(), "staff",
         Ok("ledger.import", rows(LedgerEntry=2, ImportBatch=1, AuditEvent=1))),
    case("import_ledger-draft-staff2", DRAFT, import_ledger(), "staff2", Rejected(frozenset({"other_section"}))),
    *[case(f"import_ledger-draft-{r}", DRAFT, import_ledger(), r, Denied("cannot_record"))
      for r in ("head", "collector", "town", "observer")],
    case("import_ledger-submitted-admin", SUBMITTED, import_ledger(), "admin",
         Rejected(frozenset({"sheet_submitted"}))),
    case("import_ledger-signed-staff", SIGNED, import_ledger(), "staff", Rejected(frozenset({"sheet_signed"}))),
    case("import_ledger-already_imported-town", ("imported",), import_ledger(), "town", Denied("cannot_record")),
    case("import_ledger-already_imported-staff2", ("imported",), import_ledger(), "staff2",
         Rejected(frozenset({"other_section"}))),
    # ---- importing units and economic figures: administrators and the collector
    *[case(f"import_units-open-{r}", DRAFT, import_units(), r,
           Ok("units.import", rows(Unit=1, ImportBatch=1, AuditEvent=1))) for r in ("admin", "collector")],
    *[case(f"import_units-open-{r}", DRAFT, import_units(), r, Denied("admin_only"))
      for r in ("staff", "head", "m1", "town", "observer")],
    case("import_units_regroup-draft-admin", DRAFT, import_units("entity"), "admin",
         Ok("units.import", rows(Unit=1, ImportBatch=1, AuditEvent=1))),
    case("import_units_regroup-submitted-admin", SUBMITTED, import_units("entity"), "admin",
         Rejected(frozenset({"sheet_submitted"}))),
    *[case(f"import_economy-open-{r}", DRAFT, import_economy, r,
           Ok("economy.import", rows(ImportBatch=1, AuditEvent=1))) for r in ("admin", "collector")],
    *[case(f"import_economy-open-{r}", DRAFT, import_economy, r, Denied("admin_only"))
      for r in ("staff", "head", "town", "observer")],
    case("import_economy-collected-admin", COLLECTED, import_economy, "admin", Rejected(frozenset({"sheet_signed"}))),
]


# ------------------------------------------------------------------ the one test


def snapshot(ctx) -> dict:
    """Everything a refused action must leave as it was."""
    return {
        "counts": {model.__name__: model.objects.count() for model in TRACKED},
        "sheets": list(ScoreSheet.objects.filter(round=ctx.round).order_by("pk")
                       .values_list("pk", "state", "version", "submitted_by")),
        "round": Round.objects.filter(pk=ctx.round.pk).values(
            "state", "version", "resolution", "meeting_date", "published_at").get(),
        "rules": list(Rule.objects.filter(scheme=ctx.scheme).order_by("pk").values_list("pk", "name", "amount")),
        "scheme": Scheme.objects.filter(pk=ctx.scheme.pk).values("decimal_places").get(),
        "objections": list(Objection.objects.order_by("pk").values_list("pk", "answer", "answered_at")),
        "units": list(Unit.objects.order_by("pk").values_list("pk", "group_id", "active")),
    }


def check_refused(raised: Exception | None, outcome) -> None:
    if isinstance(outcome, Denied):
        assert isinstance(raised, NotAllowed), f"expected NotAllowed({outcome.code}), got {raised!r}"
        assert isinstance(raised, PermissionDenied)
        assert raised.code == outcome.code
    elif isinstance(outcome, No):
        assert isinstance(raised, Refused) and not isinstance(raised, NotAllowed), (
            f"expected Refused({outcome.code}), got {raised!r}")
        assert raised.code == outcome.code, f"expected {outcome.code}, got {raised.code}: {raised}"
    else:
        assert isinstance(raised, ImportRejected), f"expected ImportRejected, got {raised!r}"
        assert raised.errors and {e.code for e in raised.errors} == outcome.codes, raised.errors


@pytest.mark.parametrize(("given", "act", "role", "outcome"), CASES)
def test_action_matrix(given, act, role, outcome, round_, people, units):
    ctx = SimpleNamespace(round=round_, scheme=round_.scheme, people=people, units=units)
    for step in given:
        STEPS[step](ctx)
        ctx.round = Round.objects.get(pk=round_.pk)
    user = fresh(people[role])
    before, before_sheet = snapshot(ctx), sheet_of(ctx)
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    raised = None
    try:
        act(ctx, user)
    except Exception as exc:  # whatever it is, first see what it left behind
        raised = exc
    after = snapshot(ctx)

    if not isinstance(outcome, Ok):
        assert after == before, "a refused action changed something"
        check_refused(raised, outcome)
        return

    assert raised is None, f"expected the action to be allowed, got {raised!r}"
    deltas = {name: after["counts"][name] - before["counts"][name] for name in before["counts"]}
    assert {k: v for k, v in deltas.items() if v} == outcome.rows
    events = list(AuditEvent.objects.filter(pk__gt=last_event).order_by("pk"))
    assert any(e.action.startswith(outcome.audit) for e in events), [e.action for e in events]
    assert all(e.user_id == user.pk for e in events), [(e.action, e.user_id) for e in events]
    if outcome.sheet is not None:
        assert sheet_of(ctx).state == outcome.sheet
    if outcome.round is not None:
        assert Round.objects.get(pk=round_.pk).state == outcome.round
    if outcome.version is not None:
        assert sheet_of(ctx).version - before_sheet.version == outcome.version
    if outcome.check is not None:
        outcome.check(ctx, user)


def test_every_role_and_route_step_is_tried():
    """The matrix covers each role, each sheet and round step, and each writer it names."""
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)), "case ids are unique"
    roles = {i.rsplit("-", 1)[1].split("_")[0] for i in ids}
    assert {"admin", "staff", "head", "staff2", "head2", "collector", "m1", "town", "town2", "observer"} <= roles
    actions = {i.split("-", 1)[0] for i in ids}
    assert {"submit", "sign", "return", "send_back", "object", "collect", "decide", "publish", "recollect", "close",
            "ledger_add", "ledger_reverse", "amount", "answer", "plan", "delegate", "copy_scheme", "save_rule",
            "import_ledger"} <= actions
    for action in ("submit", "sign", "collect", "ledger_add", "amount"):
        outcomes = {type(p.values[3]) for p in CASES if p.id.startswith(f"{action}-")}
        assert {Ok, Denied, No} <= outcomes, action
