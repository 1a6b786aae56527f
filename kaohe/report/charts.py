"""Chart specifications shared by reports; the Desk page draws them with ECharts (kaohe/static/kaohe/reports.js)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


def unit_radar(round_, result, unit_name: str, categories: list[tuple[str, str]]) -> dict:
    """One unit's category scores against the mean of its group (every unit of the group, the unit too).

    Each spoke reaches the category's base points, or further when a score (bonuses) goes beyond it.
    """
    unit = result.unit(unit_name)
    peers = [u for u in result.units if u.group == unit.group]
    quantum = Decimal(1).scaleb(-round_.scheme.decimal_places)
    bases = dict(round_.scheme.indicators.filter(parent__isnull=True).values_list("code", "base"))
    mine = [unit.categories.get(code, Decimal(0)) for code, _name in categories]
    mean = [(sum((u.categories.get(code, Decimal(0)) for u in peers), Decimal(0)) / len(peers))
            .quantize(quantum, ROUND_HALF_UP) for code, _name in categories]
    return {
        "kind": "radar", "title": _("%(unit)s against its group's average") % {"unit": unit.unit},
        "indicators": [{"name": name, "max": str(max(bases.get(code) or Decimal(0), a, b, Decimal(1)))}
                       for (code, name), a, b in zip(categories, mine, mean, strict=True)],
        "series": [{"name": unit.unit, "values": [str(v) for v in mine]},
                   {"name": _("group average"), "values": [str(v) for v in mean]}],
    }
