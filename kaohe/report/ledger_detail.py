"""``ledger_detail``: every ledger row of the round's scheme, with what it is about and where it came from."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaohe.models import LedgerEntry
from kaohe.permissions import sections_seen
from kaohe.scoring import Kind

from .base import DATE, DECIMAL, INT, TEXT, Column, Report


def row_points(entry: LedgerEntry):
    """The points a row carries: the recorded amount, or the rule's amount for the rules that fix it."""
    if entry.points is not None:
        return entry.points
    if entry.rule.amount is None:
        return None
    if entry.rule.kind == Kind.PER_OCCURRENCE:
        return entry.rule.amount * entry.quantity
    if entry.rule.kind == Kind.ONE_OFF:
        return entry.rule.amount
    return None


def ledger_rows(round_, filters, user=None):
    entries = (LedgerEntry.objects.filter(scheme=round_.scheme)
               .select_related("unit__group", "rule__indicator__section", "batch").order_by("date", "id"))
    seen = sections_seen(user) if user is not None else None
    if seen is not None:
        entries = entries.filter(rule__indicator__section_id__in=seen)
    lookups = {"group": "unit__group__code", "section": "rule__indicator__section__code", "unit": "unit__name",
               "rule": "rule__code", "date_from": "date__gte", "date_to": "date__lte"}
    return entries.filter(**{lookups[key]: value for key, value in filters.items()})


class LedgerDetail(Report):
    code = "ledger_detail"
    name = _("Ledger detail")
    filters = ("group", "section", "unit", "rule", "date_from", "date_to")

    def columns(self, round_):
        return [
            Column("id", _("row"), INT, 7), Column("unit", _("unit"), TEXT, 14),
            Column("section", _("section"), TEXT, 12), Column("rule", _("rule"), TEXT, 9),
            Column("rule_name", _("rule name"), TEXT, 36), Column("date", _("date"), DATE, 11),
            Column("quantity", _("quantity"), DECIMAL, 9), Column("points", _("points"), DECIMAL, 9),
            Column("note", _("note"), TEXT, 30), Column("batch", _("batch"), TEXT, 20),
            Column("reverses", _("reverses row"), INT, 9),
        ]

    def rows(self, round_, filters, user=None):
        return [{
            "id": e.pk, "unit": e.unit.name,
            "section": e.rule.indicator.section.name if e.rule.indicator and e.rule.indicator.section else "",
            "rule": e.rule.code, "rule_name": e.rule.name, "date": e.date, "quantity": e.quantity,
            "points": row_points(e), "note": e.note, "batch": e.batch.filename if e.batch else "",
            "reverses": e.reverses_id,
        } for e in ledger_rows(round_, filters, user)]
