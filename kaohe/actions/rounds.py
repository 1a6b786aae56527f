"""Opening a round, and the round's own steps: collect, decide (N of M), publish a version, send a sheet back,
and, after an objection changed a score, collect the changed result again for the meeting."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.doctype.assessment import round_name
from kaohe.models import Indicator, Objection, PublishedResult, Round, ScoreSheet, Section, Unit
from kaohe.permissions import can_open_round
from kaohe.refusals import NotAllowed, Refused
from kaohe.scoring import Method
from kaohe.services.published import snapshot
from kaohe.workflow.defaults import install as install_default_workflows
from kaohe.workflow.route import check_transition
from kaohe.workflow.states import RoundState, Step

from .audit import audit
from .print_batches import prepare_round_prints
from .transitions import do_transition


def check_open_round(scheme, period: str, as_of_month: int, acting_user) -> None:
    if not can_open_round(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator opens a round."))
    if period == "year_end" and as_of_month != 12:
        raise Refused("bad_month", _("A year-end round is as of December."))
    if period == "mid_year" and not 1 <= as_of_month <= 11:
        raise Refused("bad_month", _("A mid-year check is as of a month from January to November."))
    if scheme.rounds.exclude(state=RoundState.CLOSED).exists():
        raise Refused("round_running", _("This scheme already has a round that is not closed."))


def _unique_name(scheme, name: str) -> str:
    taken = set(scheme.rounds.filter(name__startswith=name).values_list("name", flat=True))
    number = 2
    candidate = name
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate


@transaction.atomic
def do_open_round(scheme, *, name: str = "", period: str = "year_end", as_of_month: int = 12, due: date | None = None,
                  objection_days: int = 7, acting_user) -> Round:
    """One sheet per (section, unit), holding the section's items; the engine fills them from the ledger.

    The units are those assessed when the round opens: a unit added later is not in this round. The round is
    named by its scheme, year and period; ``name`` is an optional label after them, and a second round of the
    same period without one is numbered, so no two rounds of a scheme share a name.
    """
    check_open_round(scheme, period, as_of_month, acting_user)
    name = _unique_name(scheme, round_name(scheme.name, scheme.year, period, as_of_month, name))
    install_default_workflows()  # a database flushed since migrating has lost them; they come back as shipped
    round_ = Round.objects.create(scheme=scheme, name=name, period=period, as_of_month=as_of_month, due=due,
                                  objection_days=objection_days, opened_by=acting_user)
    section_ids = set(Indicator.objects.filter(scheme=scheme, children__isnull=True, section__isnull=False)
                      .values_list("section_id", flat=True))
    groups = scheme.groups.values_list("group_id", flat=True)
    units = Unit.objects.filter(active=True, group_id__in=groups)
    if scheme.method == Method.OBJECTIVES:  # only those who answer for a node are assessed (as the engine scores)
        units = units.filter(objectives__scheme=scheme).distinct()
    units = list(units)
    ScoreSheet.objects.bulk_create(
        [ScoreSheet(round=round_, section=section, unit=unit)
         for section in Section.objects.filter(pk__in=section_ids) for unit in units]
    )
    audit(acting_user, "round.open", scheme=scheme, target=round_,
          after={"name": name, "period": period, "as_of_month": as_of_month, "units": len(units)})
    return round_


def do_collect_round(round_, *, acting_user) -> str:
    return do_transition(round_, Step.COLLECT, acting_user=acting_user)


@transaction.atomic
def do_recollect_round(round_, *, comment: str = "", acting_user) -> str:
    """After publication: a changed result (an upheld objection) goes back to the meeting as a new proposal.

    The published version stays what everyone sees until the meeting has approved the new one.
    """
    state = do_transition(round_, Step.RECOLLECT, acting_user=acting_user, comment=comment)
    Round.objects.filter(pk=round_.pk).update(resolution="", meeting_date=None)
    return state


@transaction.atomic
def do_decide_round(round_, *, resolution: str, meeting_date: date | None, acting_user) -> str:
    """A meeting member approves; the first states the resolution and date, the N-th decides."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    check_transition(round_, Step.DECIDE, acting_user, resolution)  # the role and the state before the text
    if round_.state == RoundState.COLLECTED and not round_.resolution:
        if not resolution.strip() or meeting_date is None:
            raise Refused("resolution_required", _("Give the resolution text and the meeting date."))
        round_.resolution, round_.meeting_date = resolution.strip(), meeting_date
        round_._change_reason = "resolution"
        round_.save(update_fields=["resolution", "meeting_date"])
    state = do_transition(round_, Step.DECIDE, acting_user=acting_user, comment=resolution.strip())
    if state == RoundState.DECIDED:  # decided documents do not change: have a worker lay them out for printing
        transaction.on_commit(lambda: prepare_round_prints(round_.pk))
    return state


@transaction.atomic
def do_publish_round(round_, *, acting_user) -> str:
    """Publish: freeze the decided result as the next numbered version, which every page then shows."""
    state = do_transition(round_, Step.PUBLISH, acting_user=acting_user)
    round_ = Round.objects.get(pk=round_.pk)
    previous = round_.versions.order_by("-number").first()
    reasons = []
    if previous is not None:
        reasons = [f"{o.sheet.section.name}·{o.sheet.unit.name}：{o.reason}" for o in
                   Objection.objects.filter(round=round_, filed_at__gt=previous.published_at)
                   .select_related("sheet__section", "sheet__unit")]
    version = PublishedResult.objects.create(round=round_, number=(previous.number + 1) if previous else 1,
                                             content=snapshot(round_), reason="\n".join(reasons),
                                             published_by=acting_user)
    Round.objects.filter(pk=round_.pk).update(published_at=timezone.now())
    audit(acting_user, "round.publish_version", scheme=round_.scheme, target=round_,
          after={"version": version.number, "reason": version.reason})
    return state


def do_close_round(round_, *, acting_user) -> str:
    return do_transition(round_, Step.CLOSE, acting_user=acting_user)


@transaction.atomic
def do_send_back_sheet(sheet, *, comment: str, acting_user) -> str:
    """The meeting sends one sheet back to its section: the sheet is returned and the round reopens."""
    state = do_transition(sheet, Step.SEND_BACK, acting_user=acting_user, comment=comment)
    round_ = Round.objects.get(pk=sheet.round_id)
    Round.objects.filter(pk=round_.pk).update(resolution="", meeting_date=None)
    do_transition(round_, Step.REOPEN, acting_user=acting_user, comment=comment)
    return state
