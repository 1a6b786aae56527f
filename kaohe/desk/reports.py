"""One page renders any report: its filter bar, the chart, a sortable table and the export links."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kaohe.models import Round, Section, Unit, UnitGroup
from kaohe.permissions import can_run_report
from kaohe.refusals import Refused
from kaohe.report.base import FILTER_LABELS
from kaohe.report.export import ENCODINGS, FORMATS, content_type, export
from kaohe.report.registry import REPORTS

from .whatif import panel_context


def _choices(round_, key: str, user=None):
    """The values a select of the filter bar offers; None for a free (date) field."""
    if key == "as_of":
        return [(str(month), name) for month, name in MONTHS.items()]
    if key == "compare":
        others = (Round.objects.filter(scheme__family=round_.scheme.family, scheme__method=round_.scheme.method)
                  .exclude(pk=round_.pk).select_related("scheme").order_by("-scheme__year", "-opened_at"))
        return [(str(r.pk), f"{r.name} ({r.scheme.code})") for r in others
                if can_run_report(user, "year_over_year", r)]
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


# What an empty select means where it is not "all": the report then takes the round's month, or last year's round.
BLANK = {"as_of": _("the round's month"), "compare": _("last year's round")}


def _chosen(value) -> str:
    """A filter the report chose by itself (the round compared with), as its select's value."""
    return "" if value is None else str(getattr(value, "pk", value))


def _exports(query: dict) -> list[tuple[str, str, str]]:
    """(id, label, link) of each export; CSV comes twice: UTF-8 with a BOM, and GB18030 for older tools."""
    found = []
    for fmt in FORMATS:
        found.append((fmt, fmt.upper(), f"?{urlencode({**query, 'format': fmt})}"))
        if fmt == "csv":
            found.append(("csv-gb18030", "CSV (GB18030)",
                          f"?{urlencode({**query, 'format': 'csv', 'encoding': 'gb18030'})}"))
    return found


@login_required
def report_page(request, code: str):
    report = REPORTS.get(code)
    round_id = request.GET.get("round", "")
    if report is None or not round_id.isdigit():
        raise Http404
    round_ = get_object_or_404(Round, pk=int(round_id))
    if not can_run_report(request.user, code, round_):
        raise PermissionDenied
    if not report.applies_to(round_.scheme):  # e.g. points lost, asked of an appraisal round: no such page
        raise Http404
    raw = {key: request.GET.get(key, "") for key in report.filters}
    problem = None
    try:
        result = report.run(round_, raw, user=request.user)
    except Refused as refused:
        problem, raw = str(refused), {}
        result = report.run(round_, {}, user=request.user)
    result.meta["round"] = round_.name
    fmt = request.GET.get("format")
    encoding = request.GET.get("encoding") if request.GET.get("encoding") in ENCODINGS else "utf-8"
    if fmt in FORMATS and problem is None:  # never a file of everything when the filters asked for less
        response = HttpResponse(export(result, fmt, encoding), content_type=content_type(fmt, encoding))
        response["Content-Disposition"] = f'attachment; filename="{code}-round{round_.pk}.{fmt}"'
        return response
    query = {"round": round_.pk, **{k: v for k, v in raw.items() if v}}
    return render(request, "kaohe/report.html", {
        "round": round_, "result": result, "problem": problem,
        "filters": [{"key": key, "label": label, "value": raw.get(key) or _chosen(result.filters.get(key)),
                     "choices": _choices(round_, key, request.user), "blank": BLANK.get(key)}
                    for key, label in ((k, FILTER_LABELS[k]) for k in report.filters)],
        "rows": [[(value, column) for value, column in zip(row, result.columns, strict=True)]
                 for row in result.values()],
        "exports": _exports(query),
        "whatif": panel_context(request.user, round_, opened=request.GET.get("whatif_unit", ""))
        if code == "ranking" else None,
    })

