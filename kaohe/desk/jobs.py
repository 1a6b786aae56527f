"""A job's page (how far it got, what came of it) and asking for a round's recompute."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kaohe.actions.recompute import do_start_recompute
from kaohe.models import ImportUpload, Job, Round
from kaohe.permissions import can_follow_job
from kaohe.refusals import NotAllowed, Refused


@login_required
def job_page(request, pk: int):
    job = get_object_or_404(Job.objects.select_related("scheme", "requested_by"), pk=pk)
    if not can_follow_job(request.user, job):
        raise PermissionDenied
    upload = ImportUpload.objects.filter(job=job).first() if job.kind == "import" else None
    round_ = Round.objects.filter(pk=job.parameters.get("round") or 0).first() if job.kind == "recompute" else None
    return render(request, "kaohe/job.html", {
        "job": job, "stalled": job.stalled(), "working": job.working, "upload": upload, "round": round_,
        "errors": job.result.get("errors", []) if isinstance(job.result, dict) else [],
    })


@login_required
@require_POST
def recompute_round(request, pk: int):
    """Rebuild the round's scheme's stored totals and standings (its month's too) from the ledger, as a job."""
    round_ = get_object_or_404(Round.objects.select_related("scheme"), pk=pk)
    try:
        job = do_start_recompute(round_.scheme, months=[round_.as_of_month], round_=round_, acting_user=request.user)
    except NotAllowed:
        raise
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("kaohe:round", round_.pk)
    return redirect("kaohe:job", job.pk)
