"""The what-if panel below the ranking report: a form of changes, posted to a view that only reads.

POST (with CSRF) because a scenario can name hundreds of fields, not because anything is written: the view
scores the round's facts with the changes applied and answers with both rankings side by side, as a page,
as the table alone (for the panel's script) or as an XLSX / JSON file.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.models import Round
from kaohe.permissions import can_run_what_if
from kaohe.refusals import Refused
from kaohe.report import whatif_export
from kaohe.report.export import CONTENT_TYPES
from kaohe.services.whatif import (
    describe_changes,
    panel,
    read_scenario,
    round_facts,
    run_what_if,
    supports_what_if,
)

EXPORTS = ("xlsx", "json")


def panel_context(user, round_, posted=None) -> dict | None:
    """What the panel's form shows, with the values a posted form held kept in place; None when not offered."""
    if not can_run_what_if(user, round_) or not supports_what_if(round_):
        return None
    values = {key: posted.get(key, "") for key in posted} if posted is not None else {}
    excluded = set(posted.getlist("exclude")) if posted is not None else set()
    units = panel(round_)
    for unit in units:
        for row in unit["rows"]:
            row["excluded"] = str(row["id"]) in excluded
            row["fields"] = [(f"{field}-{row['id']}", row[field], values.get(f"{field}-{row['id']}", ""))
                             for field in ("quantity", "points")]
        for fig in unit["figures"]:
            current = fig["figure"]
            fig["fields"] = [(f"{field}:{unit['unit']}:{fig['indicator']}", getattr(current, field, None),
                              values.get(f"{field}:{unit['unit']}:{fig['indicator']}", ""))
                             for field in ("actual", "target")]
        unit["amount_fields"] = [(code, f"amount:{unit['unit']}:{code}", amount,
                                  values.get(f"amount:{unit['unit']}:{code}", ""))
                                 for code, amount in unit["amounts"]]
        unit["changed"] = any(row["excluded"] or any(v for _n, _c, v in row["fields"]) for row in unit["rows"]) \
            or any(v for fig in unit["figures"] for _n, _c, v in fig["fields"]) \
            or any(v for *_rest, v in unit["amount_fields"])
    return {"units": units}


@login_required
@require_POST
def whatif_page(request):
    round_id = request.POST.get("round", "")
    if not round_id.isascii() or not round_id.isdigit():
        raise Http404
    round_ = get_object_or_404(Round, pk=int(round_id))
    if not can_run_what_if(request.user, round_):
        raise PermissionDenied
    if not supports_what_if(round_):
        raise Http404
    found = round_facts(round_)
    problem = comparison = None
    changes: list[dict] = []
    try:
        scenario = read_scenario(round_, request.POST, found)
        comparison = run_what_if(round_, scenario, found)
        changes = describe_changes(scenario, found)
    except Refused as refused:
        problem = str(refused)
    group_names = dict(round_.scheme.groups.values_list("group__code", "group__name"))
    fmt = request.POST.get("export")
    if fmt in EXPORTS and problem is None:
        title = _("%(round)s · what-if (nothing of it is saved)") % {"round": round_.name}
        data = (whatif_export.as_xlsx(title, comparison, changes, group_names, round_.scheme.decimal_places)
                if fmt == "xlsx" else whatif_export.as_json(title, comparison, changes, group_names))
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="whatif-round{round_.pk}.{fmt}"'
        return response
    context = {
        "round": round_, "problem": problem, "comparison": comparison, "changes": changes,
        "group_names": group_names,
    }
    status = 409 if problem else 200
    if request.headers.get("X-Requested-With") == "fetch":  # the panel's script swaps in the table alone
        return render(request, "kaohe/whatif_result.html", context, status=status)
    context["whatif"] = panel_context(request.user, round_, request.POST)
    return render(request, "kaohe/whatif.html", context, status=status)
