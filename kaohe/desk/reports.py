"""One page renders any report: its filter bar, the chart, a sortable table and the export links."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from kaohe.models import Round, Section, Unit, UnitGroup
from kaohe.permissions import can_run_report
from kaohe.refusals import Refused
from kaohe.report.base import FILTER_LABELS
from kaohe.report.export import CONTENT_TYPES, FORMATS, export
from kaohe.report.registry import REPORTS

from .whatif import panel_context


def _choices(round_, key: str):
    """The values a select of the filter bar offers; None for a free (date) field."""
    if key == "group":
        return list(UnitGroup.objects.order_by("order", "code").values_list("code", "name"))
    if key == "section":
        return list(Section.objects.order_by("code").values_list("code", "name"))
    if key == "unit":
        names = Unit.objects.filter(sheets__round=round_).distinct().order_by("name").values_list("name", flat=True)
        return [(name, name) for name in names]
    if key == "rule":
        return list(round_.scheme.rules.order_by("order", "code").values_list("code", "code"))
    return None


@login_required
def report_page(request, code: str):
    report = REPORTS.get(code)
    round_id = request.GET.get("round", "")
    if report is None or not round_id.isdigit():
        raise Http404
    round_ = get_object_or_404(Round, pk=int(round_id))
    if not can_run_report(request.user, code, round_):
        raise PermissionDenied
    raw = {key: request.GET.get(key, "") for key in report.filters}
    problem = None
    try:
        result = report.run(round_, raw, user=request.user)
    except Refused as refused:
        problem, raw = str(refused), {}
        result = report.run(round_, {}, user=request.user)
    result.meta["round"] = round_.name
    fmt = request.GET.get("format")
    if fmt in FORMATS and problem is None:  # never a file of everything when the filters asked for less
        response = HttpResponse(export(result, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{code}-round{round_.pk}.{fmt}"'
        return response
    query = {"round": round_.pk, **{k: v for k, v in raw.items() if v}}
    return render(request, "kaohe/report.html", {
        "round": round_, "result": result, "problem": problem,
        "filters": [{"key": key, "label": label, "value": raw.get(key, ""), "choices": _choices(round_, key)}
                    for key, label in ((k, FILTER_LABELS[k]) for k in report.filters)],
        "rows": [[(value, column) for value, column in zip(row, result.columns, strict=True)]
                 for row in result.values()],
        "exports": [(fmt, f"?{urlencode({**query, 'format': fmt})}") for fmt in FORMATS],
        "whatif": panel_context(request.user, round_, opened=request.GET.get("whatif_unit", ""))
        if code == "ranking" else None,
    })

