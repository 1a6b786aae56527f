"""Notifications (what happened), a page at a time, apart from the inbox's to-dos; "mark all read"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.inbox import do_mark_all_read

PER_PAGE = 25


@login_required
def notification_list(request):
    pages = Paginator(request.user.notifications.all(), PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    return render(request, "kaohe/notifications.html", {
        "page": page, "unread_notes": request.user.notifications.filter(read_at__isnull=True).count()})


@login_required
@require_POST
def mark_all_read(request):
    count = do_mark_all_read(acting_user=request.user)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": count})
    return redirect("kaohe:notifications")
