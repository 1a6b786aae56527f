"""Opening a round, and the round's own steps: collect, decide (N of M), publish, send a sheet back."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kaohe.models import Indicator, Round, ScoreSheet, Section, Unit
from kaohe.permissions import can_open_round
from kaohe.workflow.defaults import install as install_default_workflows
from kaohe.workflow.route import RouteRefused, do_transition


def check_open_round(scheme, period: str, as_of_month: int, acting_user) -> None:
    if not can_open_round(acting_user):
        raise PermissionDenied("only an administrator opens a round")
    if period == "year_end" and as_of_month != 12:
        raise RouteRefused("bad_month", "a year-end round is as of December")
    if period == "mid_year" and not 1 <= as_of_month <= 11:
        raise RouteRefused("bad_month", "a mid-year check is as of a month from January to November")
    if scheme.rounds.exclude(state="closed").exists():
        raise RouteRefused("round_running", "this scheme already has a round that is not closed")


@transaction.atomic
def do_open_round(scheme, *, name: str, period: str = "year_end", as_of_month: int = 12, due: date | None = None,
                  objection_days: int = 7, acting_user) -> Round:
    """One sheet per (section, unit), holding the section's items; the engine fills them from the ledger."""
    check_open_round(scheme, period, as_of_month, acting_user)
    install_default_workflows()  # a database flushed since migrating has lost them; they come back as shipped
    round_ = Round.objects.create(scheme=scheme, name=name, period=period, as_of_month=as_of_month, due=due,
                                  objection_days=objection_days, opened_by=acting_user)
    section_ids = set(Indicator.objects.filter(scheme=scheme, children__isnull=True, section__isnull=False)
                      .values_list("section_id", flat=True))
    groups = scheme.groups.values_list("group_id", flat=True)
    units = list(Unit.objects.filter(active=True, group_id__in=groups))
    ScoreSheet.objects.bulk_create(
        [ScoreSheet(round=round_, section=section, unit=unit)
         for section in Section.objects.filter(pk__in=section_ids) for unit in units]
    )
    return round_


def do_collect_round(round_, *, acting_user) -> str:
    return do_transition(round_, "collect", acting_user=acting_user)


@transaction.atomic
def do_decide_round(round_, *, resolution: str, meeting_date: date | None, acting_user) -> str:
    """A meeting member approves; the first states the resolution and date, the N-th decides."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state == "collected" and not round_.resolution:
        if not resolution.strip() or meeting_date is None:
            raise RouteRefused("resolution_required", "give the resolution text and the meeting date")
        round_.resolution, round_.meeting_date = resolution.strip(), meeting_date
        round_._change_reason = "resolution"
        round_.save(update_fields=["resolution", "meeting_date"])
    return do_transition(round_, "decide", acting_user=acting_user, comment=resolution.strip())


@transaction.atomic
def do_publish_round(round_, *, acting_user) -> str:
    state = do_transition(round_, "publish", acting_user=acting_user)
    Round.objects.filter(pk=round_.pk).update(published_at=timezone.now())
    return state


def do_close_round(round_, *, acting_user) -> str:
    return do_transition(round_, "close", acting_user=acting_user)


@transaction.atomic
def do_send_back_sheet(sheet, *, comment: str, acting_user) -> str:
    """The meeting sends one sheet back to its section: the sheet is returned and the round reopens."""
    state = do_transition(sheet, "send_back", acting_user=acting_user, comment=comment)
    round_ = Round.objects.get(pk=sheet.round_id)
    Round.objects.filter(pk=round_.pk).update(resolution="", meeting_date=None)
    do_transition(round_, "reopen", acting_user=acting_user, comment=comment)
    return state
