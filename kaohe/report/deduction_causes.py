"""``deduction_causes``: the rules that cost units the most points, across the round, from the engine's own
explanation lines (each rule's effect before an item's floor is applied)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaohe.models import LedgerEntry, Rule
from kaohe.numbers import plain
from kaohe.services.ranking import round_unit_names
from kaohe.services.scoring import month_end, score

from .base import DECIMAL, INT, TEXT, Column, Report

MOST_AFFECTED = 3


class DeductionCauses(Report):
    code = "deduction_causes"
    name = _("Deduction causes")
    filters = ("group", "section")

    def columns(self, round_):
        return [
            Column("rule", _("rule"), TEXT, 9), Column("rule_name", _("rule name"), TEXT, 36),
            Column("section", _("section"), TEXT, 12), Column("lost", _("points lost"), DECIMAL, 11),
            Column("rows", _("rows"), INT, 7), Column("units", _("units"), INT, 7),
            Column("most_affected", _("most affected units"), TEXT, 36),
        ]

    def rows(self, round_, filters, user=None):
        result = score(round_.scheme, as_of=round_.as_of, explain=True, units=round_unit_names(round_))
        lost: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for unit in result.units:
            if filters.get("group") not in (None, unit.group):
                continue
            for item in unit.items.values():
                for line in item.lines:
                    if line.source == "ledger" and line.rule and line.effect < 0:
                        lost[line.rule][unit.unit] -= line.effect
        rules = {r.code: r for r in Rule.objects.filter(scheme=round_.scheme, code__in=lost)
                 .select_related("indicator__section")}
        entries = LedgerEntry.objects.filter(scheme=round_.scheme, rule__code__in=lost,
                                             date__lte=month_end(round_.as_of))
        if "group" in filters:
            entries = entries.filter(unit__group__code=filters["group"])
        counts = Counter(entries.values_list("rule__code", flat=True))
        rows = []
        for code, by_unit in lost.items():
            section = rules[code].indicator.section if rules[code].indicator else None
            if filters.get("section") not in (None, section and section.code):
                continue
            worst = sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:MOST_AFFECTED]
            rows.append({
                "rule": code, "rule_name": rules[code].name, "section": section.name if section else "",
                "lost": sum(by_unit.values(), Decimal(0)), "rows": counts[code], "units": len(by_unit),
                "most_affected": "、".join(f"{name} ({plain(points)})" for name, points in worst),
            })
        return sorted(rows, key=lambda r: (-r["lost"], r["rule"]))

    def chart(self, round_, rows):
        top = rows[:10]
        return {"kind": "bar", "title": str(_("Points lost per rule")), "categories": [r["rule"] for r in top],
                "values": [str(r["lost"]) for r in top], "series": [r["section"] for r in top]}
