"""``ranking``: per group, each unit's rank, total, category scores, veto and prize."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaohe.services.ranking import scored_round

from .base import BOOL, DECIMAL, INT, TEXT, Column, Report
from .charts import unit_radar
from .scores import _reasons, ordered_units


def _categories(round_):
    return list(round_.scheme.indicators.filter(parent__isnull=True).order_by("order").values_list("code", "name"))


class Ranking(Report):
    code = "ranking"
    name = _("Ranking")
    filters = ("group", "unit")

    def columns(self, round_):
        return [
            Column("group", _("group"), TEXT, 10), Column("rank", _("rank"), INT, 6),
            Column("unit", _("unit"), TEXT, 16), Column("total", _("total"), DECIMAL, 10),
            *[Column(f"cat_{code}", name, DECIMAL, 10) for code, name in _categories(round_)],
            Column("vetoed", _("veto"), BOOL, 6), Column("veto_reasons", _("veto reasons"), TEXT, 20),
            Column("prize", _("prize"), INT, 6),
        ]

    def rows(self, round_, filters, user=None):
        names = dict(round_.scheme.groups.values_list("group__code", "group__name"))
        codes = [code for code, _name in _categories(round_)]
        rows = []
        for unit in ordered_units(scored_round(round_)):
            if filters.get("group") not in (None, unit.group) or filters.get("unit") not in (None, unit.unit):
                continue
            rows.append({
                "group": names.get(unit.group, unit.group), "group_code": unit.group, "rank": unit.rank,
                "unit": unit.unit, "total": unit.total,
                **{f"cat_{code}": unit.categories.get(code) for code in codes},
                "vetoed": unit.vetoed, "veto_reasons": _reasons(unit), "prize": unit.prize,
            })
        return rows

    def chart(self, round_, rows):
        """One bar per unit, grouped by group: the meeting compares totals within a group."""
        return {
            "kind": "bar", "title": str(_("Totals per group")),
            "categories": [r["unit"] for r in rows], "values": [str(r["total"]) for r in rows],
            "series": [r["group"] for r in rows],
        }

    def chart_for(self, round_, rows, filters):
        """One unit asked for: a radar of its categories against its group's average; else the bars."""
        if "unit" in filters and rows:
            return unit_radar(round_, scored_round(round_), filters["unit"], _categories(round_))
        return self.chart(round_, rows)

    def summary(self, rows):
        vetoed = sum(1 for r in rows if r["vetoed"])
        return str(_("%(count)d units, %(vetoed)d vetoed")) % {"count": len(rows), "vetoed": vetoed}
