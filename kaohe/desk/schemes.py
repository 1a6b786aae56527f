"""The scheme editor: the indicator tree with its rules and sections, edited in place; copy to next year."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.records import do_save_record
from kaohe.actions.schemes import do_copy_scheme
from kaohe.models import Indicator, Rule, Scheme, Section
from kaohe.permissions import can_edit_scheme, works_in_bureau
from kaohe.refusals import Refused
from kaohe.scoring import Method

from .common import attempt, posted_int


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "base", "floor", "cap", "section"]


class WeightedIndicatorForm(forms.ModelForm):
    """A weighted or objectives node: its name, section and target. Weights change as a sibling set in the admin,
    which checks they add to 100 (one weight changed alone would break its parent's sum)."""

    class Meta:
        model = Indicator
        fields = ["name", "section", "target"]


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["name", "kind", "amount", "min_points", "max_points", "bands"]


@login_required
def scheme_editor(request, code: str):
    scheme = get_object_or_404(Scheme, code=code)
    if not works_in_bureau(request.user):
        raise PermissionDenied
    editable = can_edit_scheme(request.user)
    if scheme.method != Method.POINTS:
        return _weighted_editor(request, scheme, editable)
    indicators = list(scheme.indicators.select_related("section", "parent").order_by("order"))
    rules = {}
    for rule in scheme.rules.order_by("order"):
        rules.setdefault(rule.indicator_id, []).append(rule)
    form, form_for = None, None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        kind, _sep, pk = request.POST.get("edit", "").partition(":")
        if kind == "indicator":
            obj = get_object_or_404(Indicator, pk=pk, scheme=scheme)
            form = IndicatorForm(request.POST, instance=obj, prefix=f"i{obj.pk}")
        elif kind == "rule":
            obj = get_object_or_404(Rule, pk=pk, scheme=scheme)
            form = RuleForm(request.POST, instance=obj, prefix=f"r{obj.pk}")
        else:
            raise PermissionDenied
        form_for = request.POST["edit"]
        if form.is_valid():
            try:
                do_save_record(form.instance, acting_user=request.user, reason="scheme editor")
            except Refused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Saved %(what)s.") % {"what": obj})
                return redirect("kaohe:scheme_editor", scheme.code)
    total = sum(i.base for i in indicators if i.parent_id is None)
    return render(request, "kaohe/scheme_editor.html", {
        "scheme": scheme, "indicators": indicators, "rules": rules, "editable": editable, "total": total,
        "form": form, "form_for": form_for, "economic": scheme.economic_indicators.all(),
        "groups": scheme.groups.select_related("group"), "sections": Section.objects.all(),
    })


def _weighted_editor(request, scheme, editable: bool):
    """The tree of a weighted or objectives scheme: each node's weight among its siblings and each parent's sum."""
    indicators = list(scheme.indicators.select_related("section", "parent", "owner", "applies_to").order_by("order"))
    form, form_for = None, None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        kind, _sep, pk = request.POST.get("edit", "").partition(":")
        if kind != "indicator":
            raise PermissionDenied
        obj = get_object_or_404(Indicator, pk=pk, scheme=scheme)
        form, form_for = WeightedIndicatorForm(request.POST, instance=obj, prefix=f"i{obj.pk}"), request.POST["edit"]
        saved = form.is_valid() and attempt(
            request, lambda: do_save_record(form.instance, acting_user=request.user, reason="scheme editor"),
            _("Saved %(what)s.") % {"what": obj})
        if saved:
            return redirect("kaohe:scheme_editor", scheme.code)
    sums: dict[int | None, Decimal] = {}
    for i in indicators:
        sums[i.parent_id] = sums.get(i.parent_id, Decimal(0)) + (i.weight or Decimal(0))
    depth: dict[int, int] = {}
    for i in indicators:  # ordered parents first
        depth[i.pk] = depth.get(i.parent_id, -1) + 1 if i.parent_id else 0
    rows = [{"node": i, "depth": depth[i.pk], "indent": depth[i.pk] * 1.5, "sum": sums.get(i.pk)}
            for i in indicators]
    return render(request, "kaohe/scheme_weighted.html", {
        "scheme": scheme, "rows": rows, "top_sum": sums.get(None), "editable": editable, "form": form,
        "form_for": form_for, "sections": Section.objects.all(), "sources": scheme.sources.order_by("order"),
        "grades": scheme.grades.all(), "objectives": scheme.method == Method.OBJECTIVES,
    })


@login_required
@require_POST
def scheme_copy(request, code: str):
    scheme = get_object_or_404(Scheme, code=code)
    if not can_edit_scheme(request.user):
        raise PermissionDenied
    made = {}

    def go():
        year = posted_int(request, "year")
        if year is None:
            raise Refused("bad_year", _("Give the year as four digits, e.g. %(year)s."), year=scheme.year + 1)
        made["scheme"] = do_copy_scheme(scheme, year=year, acting_user=request.user)

    if attempt(request, go, _("Copied.")):
        return redirect("kaohe:scheme_editor", made["scheme"].code)
    return redirect("kaohe:scheme_editor", scheme.code)


@login_required
def scheme_list(request):
    if not works_in_bureau(request.user):
        raise PermissionDenied
    return render(request, "kaohe/schemes.html", {"schemes": Scheme.objects.all(),
                                                  "editable": can_edit_scheme(request.user)})
