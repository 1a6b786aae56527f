"""The checks behind ``consistency``: each looks at the round's ledger rows (or its sheets) and returns alerts.

An alert is a plain dict: its kind, the section, unit and rule it is about, the ledger row and date where one
row is meant, a sentence in the reader's language and a path to look at it in the Desk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.models import LedgerEntry
from kaohe.numbers import plain
from kaohe.scoring import Kind
from kaohe.scoring.spec import ENTERED_KINDS
from kaohe.services.scoring import month_end

from .ledger_detail import row_points

SAME_AMOUNT, OUTSIDE_PERIOD, NO_EVIDENCE, NO_ROWS, RANGE_EDGE = (
    "same_amount", "outside_period", "no_evidence", "no_rows", "range_edge")
KINDS = {
    SAME_AMOUNT: gettext_lazy("same amount for every unit"),
    OUTSIDE_PERIOD: gettext_lazy("dated outside the period"),
    NO_EVIDENCE: gettext_lazy("no evidence"),
    NO_ROWS: gettext_lazy("no rows from the section"),
    RANGE_EDGE: gettext_lazy("at the edge of the range"),
}


@dataclass(frozen=True)
class Scope:
    """What the checks look at: the round, its period, and the sheets (section × unit) the reader may see."""

    round_: object
    sheets: list  # (section id, section name, section code, unit id, unit name)
    entries: object  # LedgerEntry queryset: the scheme's rows on the sections and units of ``sheets``

    @property
    def start(self) -> date:
        return date(self.round_.scheme.year, 1, 1)

    @property
    def end(self) -> date:
        return month_end(self.round_.as_of)

    def in_period(self):
        return self.entries.filter(date__gte=self.start, date__lte=self.end)


def scope(round_, sections: frozenset[int] | None, filters: dict) -> Scope:
    sheets = round_.sheets.all()
    if sections is not None:
        sheets = sheets.filter(section_id__in=sections)
    if "section" in filters:
        sheets = sheets.filter(section__code=filters["section"])
    rows = list(sheets.order_by("section__code", "unit__name")
                .values_list("section_id", "section__name", "section__code", "unit_id", "unit__name"))
    entries = (LedgerEntry.objects.filter(scheme=round_.scheme,
                                          rule__indicator__section_id__in={r[0] for r in rows},
                                          unit_id__in={r[3] for r in rows})
               .select_related("unit", "rule__indicator__section").order_by("date", "id"))
    return Scope(round_, rows, entries)


def _ledger_link(round_, unit: str = "", rule: str = "") -> str:
    query = {"scheme": round_.scheme.code, **({"unit": unit} if unit else {}), **({"rule": rule} if rule else {})}
    return f"{reverse('kaohe:ledger')}?{urlencode(query)}"


def _alert(kind: str, entry: LedgerEntry | None = None, **fields) -> dict:
    section = entry.rule.indicator.section if entry is not None else None
    found = {"kind": str(KINDS[kind]), "kind_code": kind, "section": section.name if section else "",
             "section_code": section.code if section else "", "unit": entry.unit.name if entry else "",
             "rule": entry.rule.code if entry else "", "row": entry.pk if entry else None,
             "date": entry.date if entry else None, "detail": "", "link": ""}
    found.update(fields)
    return found


def _live(entries):
    """Rows that still count: neither a reversal nor reversed by one."""
    return entries.filter(reverses__isnull=True, reversed_by__isnull=True)


def outside_period(s: Scope) -> list[dict]:
    """Rows dated before the scheme's year or after the round's as-of month: the round does not count them."""
    late = s.entries.exclude(date__gte=s.start, date__lte=s.end)
    return [_alert(OUTSIDE_PERIOD, e, link=_ledger_link(s.round_, e.unit.name, e.rule.code),
                   detail=_("dated %(date)s, outside %(start)s … %(end)s: not counted in this round")
                   % {"date": e.date.isoformat(), "start": s.start.isoformat(), "end": s.end.isoformat()})
            for e in late]


def no_evidence(s: Scope) -> list[dict]:
    """A discretionary amount rests on the scorer's judgement: the collector wants the paper behind it."""
    bare = _live(s.in_period()).filter(rule__kind=Kind.DISCRETIONARY, evidence__isnull=True)
    return [_alert(NO_EVIDENCE, e, link=_ledger_link(s.round_, e.unit.name, e.rule.code),
                   detail=_("%(points)s points with no evidence attached") % {"points": plain(e.points or 0)})
            for e in bare.distinct()]


def range_edge(s: Scope) -> list[dict]:
    """A discretionary row at its rule's lowest or highest amount (a zero bound is no amount at all)."""
    found = []
    for e in _live(s.in_period()).filter(rule__kind=Kind.DISCRETIONARY, points__isnull=False):
        low, high = e.rule.min_points, e.rule.max_points
        if e.points == 0 or e.points not in (low, high):
            continue
        text = (_("%(points)s is the lowest amount of the range %(low)s … %(high)s") if e.points == low
                else _("%(points)s is the highest amount of the range %(low)s … %(high)s"))
        found.append(_alert(RANGE_EDGE, e, link=_ledger_link(s.round_, e.unit.name, e.rule.code),
                            detail=text % {"points": plain(e.points), "low": plain(low) if low is not None else "",
                                           "high": plain(high) if high is not None else ""}))
    return found


def same_amount(s: Scope) -> list[dict]:
    """A rule on which every unit the section scores has the same non-zero net amount (at least two units):
    often one amount copied down a column rather than each unit assessed."""
    units_of: dict[int, set[int]] = defaultdict(set)
    for section_id, _name, _code, unit_id, _unit in s.sheets:
        units_of[section_id].add(unit_id)
    net: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    sample: dict[int, LedgerEntry] = {}
    for e in s.in_period():
        points = row_points(e)
        if points is None:
            continue
        net[e.rule_id][e.unit_id] += points
        sample.setdefault(e.rule_id, e)
    found = []
    for rule_id, by_unit in net.items():
        entry = sample[rule_id]
        units = units_of[entry.rule.indicator.section_id]
        amounts = {by_unit.get(unit) for unit in units}
        if len(units) < 2 or len(amounts) != 1 or amounts & {None, Decimal(0)}:
            continue
        found.append(_alert(SAME_AMOUNT, entry, unit="", row=None, date=None,
                            link=_ledger_link(s.round_, rule=entry.rule.code),
                            detail=_("every one of the %(count)d units has %(amount)s")
                            % {"count": len(units), "amount": plain(amounts.pop())}))
    return found


def no_rows(s: Scope) -> list[dict]:
    """A unit the section scores (it has a sheet) with no row at all in the period under the section's rules:
    nothing found, or nothing recorded yet."""
    recorded = set(s.in_period().values_list("rule__indicator__section_id", "unit_id").distinct())
    entered = set(s.round_.scheme.rules.filter(kind__in=ENTERED_KINDS).exclude(indicator__section=None)
                  .values_list("indicator__section_id", flat=True))
    return [_alert(NO_ROWS, section=name, section_code=code, unit=unit,
                   link=reverse("kaohe:grid", args=[s.round_.pk, code]),
                   detail=_("no ledger row from %(section)s for %(unit)s in the period") % {
                       "section": name, "unit": unit})
            for section_id, name, code, unit_id, unit in s.sheets
            if section_id in entered and (section_id, unit_id) not in recorded]


CHECKS = (same_amount, outside_period, no_evidence, no_rows, range_edge)
