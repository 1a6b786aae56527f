"""A unit's own result, item by item with the rows behind each point, and its objections."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.objections import do_answer_objection, do_file_objection
from kaohe.models import ImprovementPlan, Objection, Round, ScoreSheet, Unit
from kaohe.permissions import (
    can_answer_objection,
    can_file_objection,
    can_view_objection,
    can_view_unit_result,
    can_write_plan,
    sees_proposal,
)
from kaohe.services.published import latest_version, unit_in_version
from kaohe.services.ranking import fingerprint, unit_detail

from .common import attempt
from .evaluation import evaluation_context


@login_required
def unit_result(request, pk: int, unit_id: int):
    round_ = get_object_or_404(Round, pk=pk)
    unit = get_object_or_404(Unit.objects.distinct(), pk=unit_id, sheets__round=round_)  # only the round's units
    if not can_view_unit_result(request.user, round_, unit):
        raise PermissionDenied
    version = latest_version(round_)
    detail = None if sees_proposal(request.user, round_) or version is None else unit_in_version(version, unit.name)
    if detail is None:
        detail = unit_detail(round_, unit.name, fingerprint(round_))
    indicators = {i.code: i for i in round_.scheme.indicators.select_related("section")}
    sheets = {s.section_id: s for s in round_.sheets.filter(unit=unit)}
    rows = []
    for code, item in detail.items.items():
        indicator = indicators[code]
        rows.append({"indicator": indicator, "item": item, "sheet": sheets.get(indicator.section_id)})
    return render(request, "kaohe/unit_result.html", {
        "round": round_, "unit": unit, "detail": detail, "rows": rows, "version": version,
        "categories": [(indicators[c], v) for c, v in detail.categories.items()],
        "can_object": can_file_objection(request.user, round_, unit),
        "objections": Objection.objects.filter(round=round_, sheet__unit=unit).select_related("sheet__section"),
        "deadline": round_.objection_deadline(),
        "needs_plan": detail.grade is not None and round_.scheme.grades.filter(code=detail.grade,
                                                                               needs_plan=True).exists(),
        "plan": ImprovementPlan.objects.filter(round=round_, unit=unit).first(),
        "can_plan": can_write_plan(request.user, round_),
        "sources": dict(round_.scheme.sources.values_list("code", "name")),
        **evaluation_context(request.user, round_, unit),
    })


@login_required
@require_POST
def file_objection(request, pk: int):
    sheet = get_object_or_404(ScoreSheet.objects.select_related("round", "unit"), pk=pk)
    if not can_file_objection(request.user, sheet.round, sheet.unit):
        raise PermissionDenied

    attempt(request, lambda: do_file_objection(sheet, reason=request.POST.get("reason", ""),
                                               evidence=request.FILES.get("evidence"), acting_user=request.user),
            _("Your objection is filed; the section will look at the sheet again."))
    return redirect("kaohe:unit_result", sheet.round_id, sheet.unit_id)


@login_required
@require_POST
def answer_objection(request, pk: int):
    objection = get_object_or_404(Objection.objects.select_related("sheet"), pk=pk)
    if not can_answer_objection(request.user, objection):
        raise PermissionDenied
    attempt(request, lambda: do_answer_objection(objection, answer=request.POST.get("answer", ""),
                                                 acting_user=request.user), _("The answer is sent."))
    return redirect("kaohe:sheet", objection.sheet_id)


@login_required
def objection_evidence(request, pk: int):
    """The file attached to an objection: for the town that filed it, the section, the collector, the meeting."""
    objection = get_object_or_404(Objection.objects.select_related("sheet"), pk=pk)
    if not can_view_objection(request.user, objection):
        raise PermissionDenied
    if not objection.evidence:
        raise Http404
    return FileResponse(objection.evidence.open("rb"), as_attachment=False,
                        filename=objection.evidence.name.rsplit("/", 1)[-1])
