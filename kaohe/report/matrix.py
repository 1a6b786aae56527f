"""``matrix``: units × items, the points each unit lost on each item, with totals per unit and per item.

Points lost on an item are its deductions that counted: every negative effect (ledger rules and the economic
shortfall of 1.2) less what the item's floor gave back. A bonus on the same item is not netted against them,
so a deduction never hides behind a bonus.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaohe.numbers import plain
from kaohe.services.ranking import round_unit_names
from kaohe.services.scoring import score

from .base import DECIMAL, TEXT, Column, Report
from .scores import ordered_units

ZERO = Decimal(0)


def points_lost(item) -> Decimal:
    """The item's counted deductions, from the engine's own explanation lines."""
    lost = -sum((line.effect for line in item.lines if line.source != "floor" and line.effect < 0), ZERO)
    given_back = sum((line.effect for line in item.lines if line.source == "floor"), ZERO)
    return max(ZERO, lost - given_back)


def scheme_items(round_, section: str | None = None) -> list[tuple[str, str]]:
    """The scheme's scored items (the leaves that carry rules), in the scheme's order; one section's only."""
    leaves = round_.scheme.indicators.filter(children__isnull=True).order_by("order", "code")
    if section:
        leaves = leaves.filter(section__code=section)
    return list(leaves.values_list("code", "name"))


class Matrix(Report):
    code = "matrix"
    name = _("Points lost: units × items")
    filters = ("group", "section")
    methods = ("points",)

    def columns_for(self, round_, filters):
        return [
            Column("group", _("group"), TEXT, 10), Column("unit", _("unit"), TEXT, 16),
            *[Column(f"item_{code}", code, DECIMAL, 7) for code, _name in scheme_items(round_, filters.get("section"))],
            Column("lost", _("points lost"), DECIMAL, 10),
        ]

    def rows(self, round_, filters, user=None):
        items = [code for code, _name in scheme_items(round_, filters.get("section"))]
        names = dict(round_.scheme.groups.values_list("group__code", "group__name"))
        result = score(round_.scheme, as_of=round_.as_of, explain=True, units=round_unit_names(round_))
        rows = []
        for unit in ordered_units(result):
            if filters.get("group") not in (None, unit.group):
                continue
            lost = {code: points_lost(unit.items[code]) for code in items if code in unit.items}
            rows.append({"group": names.get(unit.group, unit.group), "group_code": unit.group, "unit": unit.unit,
                         **{f"item_{code}": value for code, value in lost.items()},
                         "lost": sum(lost.values(), ZERO)})
        if rows:
            rows.append({"group": "", "unit": str(_("total")), "total_row": True,
                         **{key: sum((r.get(key) or ZERO for r in rows), ZERO)
                            for key in (*(f"item_{code}" for code in items), "lost")}})
        return rows

    def chart_for(self, round_, rows, filters):
        """A heatmap of units × items; a cell only where points were lost (an empty cell lost nothing)."""
        items = scheme_items(round_, filters.get("section"))
        units = [r["unit"] for r in rows if not r.get("total_row")]
        cells = [[x, y, str(row[f"item_{code}"])]
                 for y, row in enumerate(r for r in rows if not r.get("total_row"))
                 for x, (code, _name) in enumerate(items) if row.get(f"item_{code}")]
        return {"kind": "heatmap", "title": str(_("Points lost per item")), "x": [code for code, _n in items],
                "x_names": [name for _c, name in items], "y": units, "cells": cells}

    def summary(self, rows):
        units = [r for r in rows if not r.get("total_row")]
        lost = rows[-1]["lost"] if units else ZERO
        return str(_("%(count)d units lost %(lost)s points in all")) % {"count": len(units), "lost": plain(lost)}
