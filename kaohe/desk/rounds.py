"""Rounds: opening one, its progress board, its ranking, and its own steps."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kaohe.actions.rounds import (
    do_close_round,
    do_collect_round,
    do_decide_round,
    do_open_round,
    do_publish_round,
    do_recollect_round,
)
from kaohe.models import Job, Round, Scheme, State, Unit
from kaohe.permissions import (
    can_open_round,
    can_recompute,
    can_view_progress,
    can_view_ranking,
    can_view_unit_result,
    sections_seen,
    sees_proposal,
    works_in_bureau,
)
from kaohe.scoring import Method
from kaohe.services.published import version_list
from kaohe.services.ranking import fingerprint, ranking_groups
from kaohe.services.signatures import broken_signatures
from kaohe.workflow.route import available, state_of
from kaohe.workflow.states import RoundState, SheetState

from .common import attempt, visible


class OpenRoundForm(forms.Form):
    scheme = forms.ModelChoiceField(Scheme.objects.all(), label=_("scheme"))
    name = forms.CharField(label=_("label (optional, after scheme, year and period)"), max_length=60,
                           required=False)
    period = forms.ChoiceField(choices=Round.PERIODS, label=_("period"))
    as_of_month = forms.IntegerField(min_value=1, max_value=12, initial=12, label=_("as of month"))
    due = forms.DateField(required=False, label=_("sheets due"), widget=forms.DateInput(attrs={"type": "date"}))
    objection_days = forms.IntegerField(min_value=0, max_value=60, initial=7, label=_("objection window (days)"))


@login_required
def open_round(request):
    if not can_open_round(request.user):
        raise PermissionDenied
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = {}

        def go():
            made["round"] = do_open_round(data["scheme"], name=data["name"], period=data["period"],
                                          as_of_month=data["as_of_month"], due=data["due"],
                                          objection_days=data["objection_days"], acting_user=request.user)

        if attempt(request, go, _("The round is open; every section has its sheets.")):
            return redirect("kaohe:round", made["round"].pk)
    return render(request, "kaohe/round_open.html", {"form": form})


@login_required
def round_board(request, pk: int):
    """Which sheet is where, section by section, and who is late."""
    round_ = visible(Round, can_view_progress, request.user, pk=pk)
    sheets = round_.sheets.select_related("section", "unit", "submitted_by")
    sections = sections_seen(request.user)
    if sections is not None:
        sheets = sheets.filter(section_id__in=sections)
    by_section = defaultdict(list)
    for sheet in sheets:
        by_section[sheet.section].append(sheet)
    late = round_.due is not None and timezone.localdate() > round_.due
    states = list(State.objects.filter(workflow__target="sheet").order_by("order"))
    rows = []
    for section, members in sorted(by_section.items(), key=lambda kv: kv[0].code):
        counts = Counter(s.state for s in members)
        rows.append({
            "section": section, "counts": [counts.get(state.code, 0) for state in states], "total": len(members),
            "late": [s for s in members if late and s.state in {SheetState.DRAFT, SheetState.RETURNED}],
        })
    return render(request, "kaohe/round_board.html", {
        "round": round_, "rows": rows, "round_state": state_of(round_), "actions": available(round_, request.user),
        "approvals": round_.approvals.select_related("user"), "states": states,
        "late": late, "log": round_.log.select_related("user")[:50],
        "signatures": round_.signatures.select_related("user", "on_behalf_of"),
        "broken": broken_signatures(round_) if round_.state != RoundState.CLOSED else [],
        "versions": round_.versions.select_related("published_by"),
        "can_rank": can_view_ranking(request.user, round_),
        "can_recompute": can_recompute(request.user),
        "recompute_jobs": Job.objects.filter(kind="recompute", scheme=round_.scheme)[:3]
        if can_recompute(request.user) else [],
        # each unit's result page (improvement plans are written there), for those who may open it
        "unit_links": [u for u in Unit.objects.filter(sheets__round=round_).distinct().order_by("group", "name")
                       if can_view_unit_result(request.user, round_, u)],
    })


@login_required
def ranking(request, pk: int):
    round_ = visible(Round, can_view_ranking, request.user, pk=pk)
    key = fingerprint(round_)
    proposal = sees_proposal(request.user, round_)
    versions = list(version_list(round_))  # newest first
    version = None if proposal or not versions else versions[0]
    chosen = request.GET.get("version")
    if chosen and chosen.isdigit():
        version = next((v for v in versions if v.number == int(chosen)), version)

    def groups():  # called by the template only when its cached tables are missing
        categories = list(round_.scheme.indicators.filter(parent__isnull=True).order_by("order"))
        return _with_columns(ranking_groups(round_, key, version=version), categories, round_.scheme.method)

    return render(request, "kaohe/ranking.html", {
        "round": round_, "groups": groups, "cache_key": key if version is None else f"v{version.pk}",
        "version": version, "versions": versions, "proposal": proposal and round_.published,
    })


def _with_columns(groups, categories, method: str) -> list[tuple[str, list, list[dict]]]:
    """Per group, the category columns its units are scored on, so every row has a cell under each header.

    A department-KPI group is scored on its own category only; an objectives scheme scores each owner on the
    nodes they own, which differ from owner to owner, so its ranking lists totals only.
    """
    shown = []
    for name, units in groups:
        present = set() if method == Method.OBJECTIVES else {c for u in units for c in u["categories"]}
        shown.append((name, [c for c in categories if c.code in present], units))
    return shown


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    round_ = visible(Round, can_view_progress, request.user, pk=pk)
    steps = {
        "collect": lambda: do_collect_round(round_, acting_user=request.user),
        "publish": lambda: do_publish_round(round_, acting_user=request.user),
        "recollect": lambda: do_recollect_round(round_, comment=request.POST.get("comment", ""),
                                                acting_user=request.user),
        "close": lambda: do_close_round(round_, acting_user=request.user),
        "decide": lambda: do_decide_round(round_, resolution=request.POST.get("resolution", ""),
                                          meeting_date=_date(request.POST.get("meeting_date")),
                                          acting_user=request.user),
    }
    if action not in steps:
        raise PermissionDenied
    attempt(request, steps[action], _("Done."))
    return redirect("kaohe:round", round_.pk)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def rounds_list(request):
    if not works_in_bureau(request.user):
        raise PermissionDenied
    rounds = list(Round.objects.select_related("scheme"))
    rankable = {r.pk for r in rounds if can_view_ranking(request.user, r)}  # no link that would answer 403
    return render(request, "kaohe/rounds.html", {"rounds": rounds, "can_open": can_open_round(request.user),
                                                 "rankable": rankable})
