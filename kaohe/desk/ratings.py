"""The ratings a person gave (never the ratings others gave them: a ratee sees only sums per group),
and improvement plans for those graded 不合格."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.plans import do_save_plan
from kaohe.models import Rating, Round, Unit
from kaohe.permissions import can_write_plan, rater_keys
from kaohe.refusals import Refused

from .common import attempt


@login_required
def my_ratings(request):
    given = (Rating.objects.filter(rater__in=rater_keys(request.user))
             .select_related("scheme", "unit", "rule", "source").order_by("scheme", "period", "unit__name", "rule"))
    return render(request, "kaohe/my_ratings.html", {"ratings": given[:2000], "count": given.count()})


@login_required
@require_POST
def save_plan(request, pk: int, unit_id: int):
    round_ = get_object_or_404(Round, pk=pk)
    unit = get_object_or_404(Unit.objects.distinct(), pk=unit_id, sheets__round=round_)  # assessed in this round
    if not can_write_plan(request.user, round_):
        raise PermissionDenied

    def go():
        try:
            due = date.fromisoformat(request.POST.get("due", ""))
        except ValueError:
            raise Refused("plan_incomplete", _("Give the due date as YYYY-MM-DD.")) from None
        do_save_plan(round_, unit, actions=request.POST.get("actions", ""), owner=request.POST.get("owner", ""),
                     due=due, follow_up=request.POST.get("follow_up", ""), acting_user=request.user)

    attempt(request, go, _("The improvement plan is saved."))
    return redirect("kaohe:unit_result", round_.pk, unit.pk)
