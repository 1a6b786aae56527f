"""Round-wide work: "submit all my sheets" and "sign all sheets waiting for me", each behind a confirmation
page that lists exactly the sheets the step will take."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaohe.actions.roundwide import do_round_wide_step
from kaohe.models import Round
from kaohe.permissions import can_view_progress
from kaohe.services.roundwide import ROUND_WIDE_STEPS, sheets_waiting

from .common import attempt, visible


@login_required
def round_wide(request, pk: int, action: str):
    round_ = visible(Round, can_view_progress, request.user, pk=pk)
    if action not in ROUND_WIDE_STEPS:
        raise Http404
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("sheet") if v.isascii() and v.isdigit() and len(v) < 10]
        done = _("%(n)d sheets submitted.") if action == "submit" else _("%(n)d sheets signed.")
        if attempt(request, lambda: do_round_wide_step(round_, action, ids, acting_user=request.user),
                   done % {"n": len(ids)}):
            return redirect("kaohe:round", round_.pk)
        return redirect("kaohe:round_wide", round_.pk, action)
    sheets = list(sheets_waiting(round_, request.user, action))
    sections = {}
    for sheet in sheets:
        sections.setdefault(sheet.section, []).append(sheet)
    return render(request, "kaohe/round_wide.html", {
        "round": round_, "action": action, "sheets": sheets, "sections": sections.items()})
