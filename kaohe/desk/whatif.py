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
from kaohe.scoring.whatif import row_index
from kaohe.services.whatif import (
    AMOUNT_FIELD,
    FIGURE_FIELDS,
    ROW_FIELDS,
    describe_changes,
    is_row_number,
    panel,
    read_scenario,
    round_facts,
    run_what_if,
    supports_what_if,
    unit_editor,
)

EXPORTS = ("xlsx", "json")


def _decorate(unit: dict, values: dict, excluded: set[str]) -> dict:
    """A unit's editor with each field's name, its current value and what a posted form held in it."""
    name = unit["unit"]
    for row in unit["rows"]:
        row["excluded"] = str(row["id"]) in excluded
        row["fields"] = [(f"{field}-{row['id']}", row[field], values.get(f"{field}-{row['id']}", ""))
                         for field in ("quantity", "points")]
    for fig in unit["figures"]:
        fig["fields"] = [(f"{field}:{name}:{fig['indicator']}", getattr(fig["figure"], field, None),
                          values.get(f"{field}:{name}:{fig['indicator']}", "")) for field in ("actual", "target")]
    unit["amount_fields"] = [(code, f"amount:{name}:{code}", amount, values.get(f"amount:{name}:{code}", ""))
                             for code, amount in unit["amounts"]]
    return unit


def _changed_units(found, values: dict, excluded: set[str]) -> set[str]:
    """The units a posted form changes something of: their editors are shown open again."""
    rows = row_index(found.facts.tallies)
    named = set(excluded)
    named |= {key.partition("-")[2] for key, value in values.items() if value and key.startswith(ROW_FIELDS)}
    units = {rows[int(pk)][0].unit for pk in named if is_row_number(pk) and int(pk) in rows}
    for key, value in values.items():
        if value and key.startswith((*FIGURE_FIELDS, AMOUNT_FIELD)):
            units.add(key.partition(":")[2].rpartition(":")[0])
    return units


def panel_context(user, round_, posted=None, opened: str = "") -> dict | None:
    """What the panel shows: every unit, with the editors of ``opened`` and of the units a posted form changed
    filled in (the others load when opened); None when the user may not run the what-if here."""
    if not can_run_what_if(user, round_) or not supports_what_if(round_):
        return None
    found = round_facts(round_)
    values = {key: posted.get(key, "").strip() for key in posted} if posted is not None else {}
    excluded = set(posted.getlist("exclude")) if posted is not None else set()
    detailed = _changed_units(found, values, excluded) | ({opened} if opened else set())
    units = panel(round_, found, detailed)
    for unit in units:
        if unit["detailed"]:
            _decorate(unit, values, excluded)
    return {"units": units}


def _round_for_what_if(request, round_id: str):
    """The round a what-if names, and its facts; 404 for no such round or one without a ledger, 403 for who
    may not."""
    if not round_id.isascii() or not round_id.isdigit():
        raise Http404
    round_ = get_object_or_404(Round, pk=int(round_id))
    if not can_run_what_if(request.user, round_):
        raise PermissionDenied
    if not supports_what_if(round_):
        raise Http404
    return round_, round_facts(round_)


@login_required
def whatif_unit(request):
    """One unit's editor for the panel (rows, figures, amounts), loaded when its line is opened."""
    name = request.GET.get("unit", "")
    round_, found = _round_for_what_if(request, request.GET.get("round", ""))
    if name not in {u.name for u in found.facts.units}:
        raise Http404
    unit = _decorate({"unit": name, **unit_editor(found, name)}, {}, set())
    return render(request, "kaohe/whatif_unit.html", {"round": round_, "u": unit})


@login_required
@require_POST
def whatif_page(request):
    round_, found = _round_for_what_if(request, request.POST.get("round", ""))
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
