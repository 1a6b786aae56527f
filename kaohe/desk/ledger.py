"""The ledger list and the entry form with evidence; evidence downloads check who may see them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.ledger import EntryRejected, do_record_entry, do_reverse_entry
from kaohe.models import Evidence, LedgerEntry, Rule, Scheme, Unit
from kaohe.permissions import (
    can_record_anything,
    can_view_evidence,
    can_view_ledger_row,
    can_view_unit_ledger,
    sections_recorded,
    sections_seen,
    works_in_bureau,
)
from kaohe.refusals import Refused
from kaohe.scoring import Method

from .common import visible


def _scheme(request) -> Scheme:
    code = request.GET.get("scheme") or request.POST.get("scheme")
    scheme = Scheme.objects.filter(code=code).first() if code else Scheme.objects.first()
    if scheme is None:
        raise PermissionDenied
    return scheme


def _assessed_units(scheme):
    """The units this scheme assesses: a town's ledger offers no departments or employees, an objectives
    scheme only the owners of its nodes."""
    units = Unit.objects.filter(active=True, group__in=scheme.groups.values("group"))
    if scheme.method == Method.OBJECTIVES:
        units = units.filter(objectives__scheme=scheme).distinct()
    return units.order_by("group", "name")


def _visible_rules(user, scheme):
    rules = Rule.objects.filter(scheme=scheme).select_related("indicator", "indicator__section")
    sections = sections_seen(user)
    return rules if sections is None else rules.filter(indicator__section_id__in=sections)


@login_required
def ledger_list(request):
    scheme = _scheme(request)
    if works_in_bureau(request.user):
        entries = LedgerEntry.objects.filter(scheme=scheme, rule__in=_visible_rules(request.user, scheme))
        units, rules, schemes = _assessed_units(scheme), _visible_rules(request.user, scheme), Scheme.objects.all()
    else:  # an assessed unit reads its own rows (and their evidence) once a round it is in is published
        own = can_view_unit_ledger(request.user, scheme)
        if not own:
            raise PermissionDenied
        entries = LedgerEntry.objects.filter(scheme=scheme, unit_id__in=own)
        units = Unit.objects.filter(pk__in=own)
        rules = Rule.objects.filter(scheme=scheme, pk__in=entries.values("rule_id")).select_related("indicator")
        schemes = [scheme]
    entries = entries.select_related("unit", "rule", "created_by", "reverses").prefetch_related("evidence") \
        .order_by("-id")
    unit = request.GET.get("unit")
    if unit:
        entries = entries.filter(unit__name=unit)
    rule = request.GET.get("rule")
    if rule:
        entries = entries.filter(rule__code=rule)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "kaohe/ledger.html", {
        "scheme": scheme, "page": page, "units": units, "rules": rules,
        "filters": {"unit": unit or "", "rule": rule or ""},
        "schemes": schemes, "can_record": can_record_anything(request.user),
    })


@login_required
def ledger_new(request):
    if not can_record_anything(request.user):
        raise PermissionDenied
    scheme = _scheme(request)
    cells = {k: request.POST.get(k, "") for k in ("unit", "rule", "quantity", "points", "date", "note")}
    errors = []
    if request.method == "POST":
        try:
            entry = do_record_entry(scheme, cells=cells, files=request.FILES.getlist("evidence"),
                                    acting_user=request.user)
        except EntryRejected as rejected:
            errors = rejected.errors
        except PermissionDenied:
            raise
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Recorded: %(entry)s") % {"entry": entry})
            return redirect(f"{request.path}?scheme={scheme.code}")
    rules = Rule.objects.filter(scheme=scheme, kind__in=["one_off", "per_occurrence", "tiered", "proportional",
                                                         "count_threshold", "discretionary", "veto"])
    sections = sections_recorded(request.user)
    if sections is not None:
        rules = rules.filter(indicator__section_id__in=sections)
    return render(request, "kaohe/ledger_form.html", {
        "scheme": scheme, "cells": cells, "errors": errors, "units": _assessed_units(scheme),
        "rules": rules.select_related("indicator"),
    })


@login_required
@require_POST
def ledger_reverse(request, pk: int):
    entry = visible(LedgerEntry, can_view_ledger_row, request.user, pk=pk)
    try:
        do_reverse_entry(entry, reason=request.POST.get("reason", ""), acting_user=request.user)
    except PermissionDenied:
        raise
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The row is reversed."))
    return redirect(f"{reverse('kaohe:ledger')}?scheme={entry.scheme.code}")


@login_required
def evidence_file(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("entry__rule__indicator", "entry__scheme"), pk=pk)
    if not can_view_evidence(request.user, evidence):
        raise PermissionDenied
    return FileResponse(evidence.file.open("rb"), as_attachment=False, filename=evidence.original_name)
