"""The inbox: what waits for me, and my notifications."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.delegations import do_delegate_signing, do_end_delegation
from kaohe.actions.notify import do_mark_read
from kaohe.models import Delegation, Notification, Round, ScoreSheet, Section
from kaohe.permissions import inbox_scope, is_unit_only
from kaohe.services.inbox import waiting_for

from .common import attempt, posted_int


def _own_results(user) -> list[tuple]:
    """(round, unit) for each published round a unit of this user takes part in (has sheets in): a town is
    never offered the employee round, nor a person the town round."""
    own = {m.unit_id: m.unit for m in user.memberships.filter(role="unit").select_related("unit")}
    pairs = (ScoreSheet.objects.filter(unit_id__in=own, round__published_at__isnull=False)
             .order_by().values_list("round_id", "unit_id").distinct())
    rounds = Round.objects.in_bulk({r for r, _u in pairs})
    return sorted(((rounds[r], own[u]) for r, u in pairs), key=lambda p: (-p[0].published_at.timestamp(), p[1].name))


@login_required
def inbox(request):
    if is_unit_only(request.user):
        return render(request, "kaohe/unit_home.html", {
            "results": _own_results(request.user), "notifications": request.user.notifications.all()[:20],
        })
    own_sections = Section.objects.filter(pk__in=inbox_scope(request.user)["own_sections"])
    return render(request, "kaohe/inbox.html", {
        **waiting_for(request.user),
        "own_sections": own_sections,
        "delegations": Delegation.objects.filter(head=request.user).select_related("delegate", "section"),
        "today": timezone.localdate(),
        "colleagues": get_user_model().objects.filter(memberships__role__in=["staff", "head"],
                                                      memberships__section__in=own_sections)
        .exclude(memberships__role="unit").exclude(pk=request.user.pk).distinct().order_by("username")
        if own_sections else [],
        "unread_notes": request.user.notifications.filter(read_at__isnull=True).count(),
        "all_rounds": Round.objects.select_related("scheme")[:20],
    })


@login_required
@require_POST
def delegate(request):
    section = Section.objects.filter(pk=posted_int(request, "section")).first()
    delegate_user = get_user_model().objects.filter(pk=posted_int(request, "delegate")).first()
    if section is None or delegate_user is None:
        messages.error(request, _("Choose the section and the colleague who signs for it."))
        return redirect("kaohe:home")
    starts, ends = _day(request.POST.get("starts")), _day(request.POST.get("ends"))
    attempt(request, lambda: do_delegate_signing(section=section, delegate=delegate_user, starts=starts, ends=ends,
                                                 acting_user=request.user), _("Signing is delegated."))
    return redirect("kaohe:home")


@login_required
@require_POST
def end_delegation(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    attempt(request, lambda: do_end_delegation(delegation, acting_user=request.user, today=timezone.localdate()),
            _("The delegation ends today."))
    return redirect("kaohe:home")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


@login_required
@require_POST
def read_notification(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    do_mark_read(note, acting_user=request.user)
    return redirect(note.url or "kaohe:home")
