"""``at_risk`` (序时进度): as of a month, each unit's economic indicators against time-proportional progress,
the veto indicators below it marked, and the total the unit would have if the year ended now.

Every figure here is the engine's own: its economic lines (expected = target × month / 12, completion, points)
and its veto check, scored as of the month asked for. Nothing is computed a second way.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaohe.models import EconomicIndicator
from kaohe.scoring import AsOf
from kaohe.services.ranking import round_unit_names
from kaohe.services.scoring import score
from kaohe.services.spec import scheme_spec

from .base import BOOL, DECIMAL, INT, TEXT, Column, Report
from .scores import ordered_units

HUNDRED = Decimal(100)
PERCENT = Decimal("0.01")


def as_of(round_, filters) -> AsOf:
    return AsOf(round_.scheme.year, filters.get("as_of", round_.as_of_month))


def _veto_misses(unit) -> set[str]:
    """The veto-set indicators the engine found below their (序时) target: vetoes at year end, risks before."""
    return {r["indicator"] for r in (*unit.veto_reasons, *unit.at_risk) if r.get("code") == "veto.economy"}


class AtRisk(Report):
    code = "at_risk"
    name = _("At risk (time-proportional progress)")
    filters = ("as_of", "group", "unit")
    methods = ("points",)

    def columns(self, round_):
        return [
            Column("group", _("group"), TEXT, 10), Column("unit", _("unit"), TEXT, 14),
            Column("indicator", _("indicator"), TEXT, 16), Column("target", _("annual target"), DECIMAL, 12),
            Column("expected", _("expected by now"), DECIMAL, 12), Column("actual", _("actual"), DECIMAL, 12),
            Column("completion", _("completion (%)"), DECIMAL, 11), Column("points", _("points"), DECIMAL, 8),
            Column("weight", _("weight"), DECIMAL, 8), Column("reported", _("reported for"), TEXT, 10),
            Column("in_veto", _("veto indicator"), BOOL, 8), Column("veto_risk", _("below, veto"), BOOL, 8),
            Column("projected_total", _("projected total"), DECIMAL, 11),
            Column("projected_rank", _("projected rank"), INT, 8),
        ]

    def rows(self, round_, filters, user=None):
        names = dict(round_.scheme.groups.values_list("group__code", "group__name"))
        indicators = {e.code: e for e in EconomicIndicator.objects.filter(scheme=round_.scheme)}
        result = score(round_.scheme, as_of=as_of(round_, filters), explain=True, units=round_unit_names(round_))
        rows = []
        for unit in ordered_units(result):
            if filters.get("group") not in (None, unit.group) or filters.get("unit") not in (None, unit.unit):
                continue
            misses = _veto_misses(unit)
            for item in unit.items.values():
                for line in item.lines:
                    if line.source != "economy":
                        continue
                    d = line.detail
                    indicator = indicators.get(d["indicator"])
                    rows.append({
                        "group": names.get(unit.group, unit.group), "unit": unit.unit,
                        "indicator": indicator.name if indicator else d["indicator"], "indicator_code": d["indicator"],
                        "target": d.get("target"), "expected": d.get("expected"), "actual": d.get("actual"),
                        "completion": (d["ratio"] * HUNDRED).quantize(PERCENT) if "ratio" in d else None,
                        "points": d["points"], "weight": d["weight"], "reported": d.get("reported", ""),
                        "in_veto": bool(indicator and indicator.in_veto), "veto_risk": d["indicator"] in misses,
                        "projected_total": unit.total, "projected_rank": unit.rank,
                    })
        return rows

    def chart_for(self, round_, rows, filters):
        """One unit: its projected total as of each month of the year. Otherwise every unit's projected total."""
        if "unit" in filters:
            if not rows:
                return None  # a unit this round does not assess has no line
            months = range(1, 13)
            # one spec for the twelve months; each month's sums are a lookup of the stored totals when current
            spec = scheme_spec(round_.scheme)
            totals = [score(round_.scheme, as_of=AsOf(round_.scheme.year, m), explain=False, stored=True, spec=spec,
                            units=[filters["unit"]]).units for m in months]
            return {"kind": "line", "title": str(_("Projected total by month")), "series": filters["unit"],
                    "categories": [str(m) for m in months],
                    "values": [str(found[0].total) if found else None for found in totals],
                    "mark": as_of(round_, filters).month}
        totals = {r["unit"]: (r["group"], r["projected_total"]) for r in rows}
        return {"kind": "bar", "title": str(_("Projected totals")), "categories": list(totals),
                "values": [str(total) for _group, total in totals.values()],
                "series": [group for group, _total in totals.values()]}

    def summary(self, rows):
        at_risk = sorted({r["unit"] for r in rows if r["veto_risk"]})
        return str(_("%(count)d units, %(risk)d with a veto indicator below progress")) % {
            "count": len({r["unit"] for r in rows}), "risk": len(at_risk)}
