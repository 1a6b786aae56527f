"""A scheme's stored totals and standings rebuilt from the ledger as a job: what ``score --recompute`` does,
asked for from a round's page (or ``score --recompute --background``) and run by a worker when there is one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.models import Job, RuleTotal, Standing
from kaohe.permissions import can_recompute
from kaohe.refusals import NotAllowed, Refused

from .aggregates import do_recompute_scores
from .jobs import Outcome, do_start_job, run_job

STEPS = 2  # the stored totals, then the standings


@transaction.atomic
def do_start_recompute(scheme, *, months=(), round_=None, acting_user) -> Job:
    """Queue a rebuild of ``scheme``'s stored totals, keeping standings for ``months`` too (a round's month)."""
    if not can_recompute(acting_user):
        raise NotAllowed("cannot_recompute", gettext_lazy("Only an administrator or the collecting section "
                                                          "recomputes a scheme's scores."))
    running = Job.objects.filter(kind="recompute", scheme=scheme, state__in=[Job.QUEUED, Job.RUNNING])
    if any(not job.stalled() for job in running):
        raise Refused("recompute_running", gettext_lazy("A recompute of this scheme is already under way."))
    return do_start_job("recompute", run_recompute_job, scheme=scheme, total=STEPS, acting_user=acting_user,
                        parameters={"months": sorted(set(months)), "round": round_.pk if round_ else None})


def run_recompute_job(pk: int) -> str:
    return run_job(pk, _recompute)


def _recompute(job: Job, progress) -> Outcome:
    state = do_recompute_scores(job.scheme, months=job.parameters.get("months", []), acting_user=job.requested_by,
                                progress=progress)
    months = [int(m) for m in state.months.split(",") if m]
    standings = Standing.objects.filter(scheme=job.scheme, month=max(months)).count()
    totals = RuleTotal.objects.filter(scheme=job.scheme).count()
    summary = _("Recomputed %(scheme)s from the ledger up to row #%(high)s: %(units)s units' standings, "
                "%(totals)s stored totals.") % {"scheme": job.scheme.code, "high": state.ledger_high,
                                                 "units": standings, "totals": totals}
    return Outcome(summary, {"months": months, "ledger_high": state.ledger_high, "standings": standings,
                             "totals": totals})
