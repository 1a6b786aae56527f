"""A key project's evaluation in the Desk: the panel's findings and the on-site reviews, on the unit's page."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.evaluation import do_record_site_review, do_save_findings
from kaohe.models import PanelFindings, Round, SiteReview, Unit
from kaohe.permissions import can_record_site_review, can_write_findings
from kaohe.refusals import Refused

from .common import attempt

EVALUATED = {"project"}  # scheme families whose units get an evaluation report with the panel's findings


def evaluation_context(user, round_, unit) -> dict:
    """What the unit's page shows and offers about the evaluation, or nothing for other schemes."""
    if round_.scheme.family not in EVALUATED:
        return {}
    return {"evaluation": {
        "findings": PanelFindings.objects.filter(round=round_, unit=unit).first(),
        "reviews": SiteReview.objects.filter(scheme=round_.scheme, unit=unit).prefetch_related("files"),
        "can_write": can_write_findings(user, round_),
        "can_record": can_record_site_review(user, round_.scheme),
    }}


def _back(request, round_, unit):
    """Back to the page the form was on (the unit's result, or the section's sheet for its staff)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("kaohe:unit_result", round_.pk, unit.pk)


def _round_unit(pk: int, unit_id: int):
    round_ = get_object_or_404(Round, pk=pk)
    return round_, get_object_or_404(Unit.objects.distinct(), pk=unit_id, sheets__round=round_)


@login_required
@require_POST
def save_findings(request, pk: int, unit_id: int):
    round_, unit = _round_unit(pk, unit_id)
    if not can_write_findings(request.user, round_):
        raise PermissionDenied
    attempt(request, lambda: do_save_findings(round_, unit, findings=request.POST.get("findings", ""),
                                              problems=request.POST.get("problems", ""),
                                              suggestions=request.POST.get("suggestions", ""),
                                              acting_user=request.user), _("The panel's findings are saved."))
    return _back(request, round_, unit)


@login_required
@require_POST
def record_site_review(request, pk: int, unit_id: int):
    round_, unit = _round_unit(pk, unit_id)
    if not can_record_site_review(request.user, round_.scheme):
        raise PermissionDenied

    def go():
        try:
            day = date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            raise Refused("bad_date", _("Give the date as YYYY-MM-DD.")) from None
        do_record_site_review(round_.scheme, unit, day=day, evaluators=request.POST.get("evaluators", ""),
                              observed=request.POST.get("observed", ""), files=request.FILES.getlist("evidence"),
                              acting_user=request.user)

    attempt(request, go, _("The on-site review is recorded."))
    return _back(request, round_, unit)
