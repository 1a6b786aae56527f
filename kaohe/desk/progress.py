"""MBO in the Desk: "my objectives" (report a month's progress on each task one owns) and "progress to review"
(the direct superior's monthly review)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.progress import do_report_progress, do_review_progress
from kaohe.models import ProgressReport, Rule
from kaohe.permissions import can_report_progress, can_review_progress
from kaohe.refusals import Refused
from kaohe.services.progress import month_of, reports_to_review, tasks_owned

from .common import attempt


@login_required
def my_objectives(request):
    tasks = list(tasks_owned(request.user))
    reports = {}
    for report in ProgressReport.objects.filter(rule__in=tasks).select_related("review").order_by("month"):
        reports.setdefault(report.rule_id, []).append(report)
    return render(request, "kaohe/my_objectives.html", {
        "tasks": [{"rule": t, "reports": reports.get(t.pk, [])} for t in tasks]})


@login_required
@require_POST
def report_progress(request, rule_id: int):
    rule = get_object_or_404(Rule.objects.select_related("scheme", "indicator"), pk=rule_id)
    if not can_report_progress(request.user, rule):
        raise Http404

    def go():
        month = month_of(request.POST.get("month", ""))
        if month is None:
            raise Refused("bad_month", _("Give the month as YYYY-MM."))
        do_report_progress(rule, month, request.POST.get("actual", ""), comment=request.POST.get("comment", ""),
                           evidence=request.FILES.get("evidence"), acting_user=request.user)

    attempt(request, go, _("Your progress report is saved."))
    return redirect("kaohe:my_objectives")


@login_required
def progress_reviews(request):
    return render(request, "kaohe/progress_reviews.html", {"reports": reports_to_review(request.user)[:200]})


@login_required
@require_POST
def review_progress(request, pk: int):
    report = get_object_or_404(ProgressReport.objects.select_related("rule__indicator__parent"), pk=pk)
    if not can_review_progress(request.user, report):
        raise Http404
    attempt(request, lambda: do_review_progress(
        report, accepted=request.POST.get("accepted") == "yes", rating_text=request.POST.get("rating", ""),
        comment=request.POST.get("comment", ""), acting_user=request.user), _("Your review is saved."))
    return redirect("kaohe:progress_reviews")
