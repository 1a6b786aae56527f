"""``consistency``: what a collector wants to look at before signing, one row per alert.

The checks (``consistency_checks``): a rule on which a section gave every unit the same amount; ledger rows
dated outside the round's period; discretionary rows without evidence; a unit with no ledger row from a
section that scores it; discretionary amounts at the edge of their rule's range. A section's staff and head
see only their own sections' alerts, as on the round board.
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext_lazy as _

from kaohe.permissions import sections_seen

from .base import DATE, INT, LINK, TEXT, Column, Report
from .consistency_checks import CHECKS, KINDS, scope

ORDER = {kind: n for n, kind in enumerate(KINDS)}


class Consistency(Report):
    code = "consistency"
    name = _("Consistency alerts")
    filters = ("section", "unit")
    methods = ("points",)  # alerts over ledger rows: the points schemes keep a ledger

    def columns(self, round_):
        return [
            Column("kind", _("alert"), TEXT, 18), Column("section", _("section"), TEXT, 12),
            Column("unit", _("unit"), TEXT, 14), Column("rule", _("rule"), TEXT, 9),
            Column("row", _("row"), INT, 7), Column("date", _("date"), DATE, 11),
            Column("detail", _("detail"), TEXT, 44), Column("link", _("link"), LINK, 30),
        ]

    def rows(self, round_, filters, user=None):
        seen = sections_seen(user) if user is not None else None
        where = scope(round_, seen, filters)
        alerts = [alert for check in CHECKS for alert in check(where)]
        if "unit" in filters:  # an alert about every unit of a rule concerns the unit asked about too
            alerts = [a for a in alerts if a["unit"] in ("", filters["unit"])]
        return sorted(alerts, key=lambda a: (ORDER[a["kind_code"]], a["section_code"], a["unit"], a["rule"],
                                             a["row"] or 0))

    def summary(self, rows):
        counts = Counter(r["kind_code"] for r in rows)
        parts = "; ".join(f"{label} {counts[kind]}" for kind, label in KINDS.items())
        return str(_("%(count)d alerts: %(parts)s")) % {"count": len(rows), "parts": parts}
