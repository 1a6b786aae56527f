"""``year_over_year``: this round beside another round of the same family (town-2026 beside town-2025), matched
by rule code: per unit and rule, the points the rule gave or took in each, and the change.

A code that exists in one scheme only is listed for every unit, with the other side empty, and named in the
summary: a rule added or dropped between years is never silently left out.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaohe.models import Round
from kaohe.permissions import can_run_report
from kaohe.refusals import NotAllowed
from kaohe.services.ranking import round_unit_names
from kaohe.services.scoring import score

from .base import DECIMAL, TEXT, Column, Report

ZERO = Decimal(0)


def rule_points(round_) -> tuple[dict[str, dict[str, Decimal]], dict[str, str]]:
    """unit → rule code → the sum of that rule's effects (before the item's floor), from the engine's lines;
    and each unit's group."""
    result = score(round_.scheme, as_of=round_.as_of, explain=True, units=round_unit_names(round_))
    points: dict[str, dict[str, Decimal]] = {}
    for unit in result.units:
        by_rule: dict[str, Decimal] = defaultdict(Decimal)
        for item in unit.items.values():
            for line in item.lines:
                if line.rule:
                    by_rule[line.rule] += line.effect
        points[unit.unit] = by_rule
    return points, {unit.unit: unit.group for unit in result.units}


def default_other(round_, user=None) -> Round | None:
    """Last year's round of the same family the user may read: the latest year-end one, else the latest."""
    candidates = (Round.objects.filter(scheme__family=round_.scheme.family, scheme__method=round_.scheme.method,
                                       scheme__year=round_.scheme.year - 1)
                  .select_related("scheme").order_by("-as_of_month", "-opened_at"))
    return next((r for r in candidates if user is None or can_run_report(user, "year_over_year", r)), None)


def label(round_, other) -> str:
    """A round's column heading: its year, or its name when both rounds are of one year."""
    return str(round_.scheme.year) if round_.scheme.year != other.scheme.year else round_.name


class YearOverYear(Report):
    code = "year_over_year"
    name = _("Year over year")
    filters = ("compare", "group", "unit")
    methods = ("points",)

    def columns(self, round_):
        return self.columns_for(round_, {})

    def columns_for(self, round_, filters):
        other = filters.get("compare")
        before, after = (label(other, round_), label(round_, other)) if other else (_("compared round"),
                                                                                     _("this round"))
        return [
            Column("group", _("group"), TEXT, 10), Column("unit", _("unit"), TEXT, 14),
            Column("rule", _("rule"), TEXT, 9), Column("rule_name", _("rule name"), TEXT, 36),
            Column("before", before, DECIMAL, 10), Column("after", after, DECIMAL, 10),
            Column("change", _("change"), DECIMAL, 9), Column("only_in", _("only in"), TEXT, 14),
        ]

    def run(self, round_, raw_filters=None, user=None):
        raw = dict(raw_filters or {})
        if not (raw.get("compare") or "").strip():
            other = default_other(round_, user)
            if other is not None:
                raw["compare"] = str(other.pk)
        result = super().run(round_, raw, user)
        if "compare" not in result.filters:
            result.summary = str(_("Choose a round to compare with."))
        return result

    def rows(self, round_, filters, user=None):
        other = filters.get("compare")
        if other is None:
            return []
        if user is not None and not can_run_report(user, self.code, other):
            raise NotAllowed("report_not_allowed", _("%(round)s is not yours to compare with."), round=other.name)
        schemes = (other.scheme, round_.scheme)
        rules = [dict(s.rules.values_list("code", "name")) for s in schemes]
        codes = sorted(set(rules[0]) | set(rules[1]), key=_code_order)
        (before, before_groups), (after, unit_groups) = rule_points(other), rule_points(round_)
        points = [before, after]
        unit_groups = {**before_groups, **unit_groups}
        groups = dict(round_.scheme.groups.values_list("group__code", "group__name"))
        rows = []
        for unit in sorted(set(points[0]) | set(points[1]), key=lambda u: (unit_groups.get(u, ""), u)):
            group = unit_groups.get(unit, "")
            if filters.get("group") not in (None, group) or filters.get("unit") not in (None, unit):
                continue
            for code in codes:
                present = [code in rules[0], code in rules[1]]
                values = [points[i][unit].get(code, ZERO) if present[i] and unit in points[i] else None
                          for i in (0, 1)]
                if all(present) and not any(values):
                    continue  # both years have the rule and it moved nothing either year
                rows.append({
                    "group": groups.get(group, group), "unit": unit, "rule": code,
                    "rule_name": rules[1].get(code) or rules[0].get(code), "before": values[0], "after": values[1],
                    "change": values[1] - values[0] if None not in values else None,
                    "only_in": "" if all(present) else schemes[present.index(True)].code,
                })
        return rows

    def summary(self, rows):
        one_sided: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            if row["only_in"] and row["rule"] not in one_sided[row["only_in"]]:
                one_sided[row["only_in"]].append(row["rule"])
        text = str(_("%(count)d rows")) % {"count": len(rows)}
        if one_sided:
            text += " · " + str(_("codes in one scheme only: %(codes)s")) % {
                "codes": "; ".join(f"{scheme} {', '.join(codes)}" for scheme, codes in one_sided.items())}
        return text


def _code_order(code: str) -> tuple:
    """1.2.a before 1.10.a: numbers compare as numbers, letters as letters."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))
