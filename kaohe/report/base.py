"""A report in the manner of a script report: filters in, typed columns and rows out, an optional chart
and a summary line. The Desk page, the exports and ``manage.py report`` all run the same class."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from kaohe.models import Round, Rule, Section, Unit, UnitGroup
from kaohe.refusals import Refused

# Column types the exports know how to write: numbers stay numbers, dates stay dates; a link is a path in the
# Desk (written as text in CSV and XLSX, left off paper).
TEXT, INT, DECIMAL, DATE, BOOL, LINK = "text", "int", "decimal", "date", "bool", "link"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    type: str = TEXT
    width: int = 12  # characters, as Excel counts them


# Every filter a report may offer: its label and how its text is read. Reports pick from these.
FILTER_LABELS = {
    "group": _("group"), "section": _("section"), "unit": _("unit"), "rule": _("rule"),
    "date_from": _("from date"), "date_to": _("to date"), "as_of": _("as of month"), "compare": _("compare with"),
}


@dataclass
class ReportResult:
    code: str
    name: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    filters: dict[str, Any]
    summary: str = ""
    chart: dict[str, Any] | None = None
    decimals: int = 2
    meta: dict[str, Any] = field(default_factory=dict)

    def values(self) -> list[list[Any]]:
        """The rows as lists in column order, the shape every export writes."""
        return [[row.get(c.key) for c in self.columns] for row in self.rows]


class Report:
    code: str = ""
    name: Any = ""
    filters: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()  # the scheme methods it is about (points, weighted…); empty: every one

    def applies_to(self, scheme) -> bool:
        return not self.methods or scheme.method in self.methods

    def columns(self, round_) -> list[Column]:
        raise NotImplementedError

    def rows(self, round_, filters: dict[str, Any], user=None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def chart(self, round_, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        return None

    def columns_for(self, round_, filters: dict[str, Any]) -> list[Column]:
        """The columns; a report whose columns depend on its filters (a compared round) overrides this."""
        return self.columns(round_)

    def chart_for(self, round_, rows: list[dict[str, Any]], filters: dict[str, Any]) -> dict[str, Any] | None:
        """The chart; a report that draws another chart for one unit overrides this."""
        return self.chart(round_, rows)

    def summary(self, rows: list[dict[str, Any]]) -> str:
        return str(_("%(count)d rows")) % {"count": len(rows)}

    def run(self, round_, raw_filters: dict[str, str] | None = None, user=None) -> ReportResult:
        if not self.applies_to(round_.scheme):
            raise Refused("report_not_for_scheme", _("The report %(report)s is not about a scheme like %(scheme)s."),
                          report=str(self.name), scheme=round_.scheme.name)
        filters = parse_filters(self, round_, raw_filters or {})
        rows = self.rows(round_, filters, user)
        return ReportResult(code=self.code, name=str(self.name), columns=self.columns_for(round_, filters), rows=rows,
                            filters=filters, summary=self.summary(rows), chart=self.chart_for(round_, rows, filters),
                            decimals=round_.scheme.decimal_places)


def _day(key: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused("bad_filter", _("%(key)s is not a date (YYYY-MM-DD): %(value)s"), key=key, value=text) from None


def _whole(text: str, digits: int) -> bool:
    """ASCII digits only (not ² or ٣), and few enough for any database's integer column."""
    return text.isascii() and text.isdigit() and len(text) <= digits


def _month(key: str, text: str) -> int:
    if _whole(text, 2) and 1 <= int(text) <= 12:
        return int(text)
    raise Refused("bad_filter", _("%(key)s is a month from 1 to 12, not %(value)s."), key=key, value=text)


def _other_round(round_, key: str, text: str) -> Round:
    """A round to set beside this one: another round of a scheme of the same family (town with town)."""
    other = Round.objects.select_related("scheme").filter(pk=int(text)).first() if _whole(text, 9) else None
    if other is None:
        raise Refused("bad_filter", _("No %(key)s %(value)s."), key=key, value=text)
    if other.pk == round_.pk:
        raise Refused("bad_filter", _("Compare %(round)s with another round, not with itself."), round=round_.name)
    if other.scheme.family != round_.scheme.family or other.scheme.method != round_.scheme.method:
        raise Refused("bad_filter", _("%(other)s is a round of %(scheme)s, not of the same family as %(round)s."),
                      other=other.name, scheme=other.scheme.name, round=round_.name)
    return other


def parse_filters(report: Report, round_, raw: dict[str, str]) -> dict[str, Any]:
    """Each filter given, checked against the round's scheme: unknown keys and unknown values are refused,
    so a typo never silently widens a report to everything."""
    scheme = round_.scheme
    known = {
        "group": lambda v: UnitGroup.objects.filter(code=v).exists(),
        "section": lambda v: Section.objects.filter(code=v).exists(),
        "unit": lambda v: Unit.objects.filter(name=v).exists(),
        "rule": lambda v: Rule.objects.filter(scheme=scheme, code=v).exists(),
    }
    cleaned: dict[str, Any] = {}
    for key, value in raw.items():
        value = (value or "").strip()
        if not value:
            continue
        if key not in report.filters:
            raise Refused("unknown_filter", _("The report %(report)s has no filter %(key)s."),
                          report=report.code, key=key)
        if key in ("date_from", "date_to"):
            cleaned[key] = _day(key, value)
        elif key == "as_of":
            cleaned[key] = _month(key, value)
        elif key == "compare":
            cleaned[key] = _other_round(round_, key, value)
        elif not known[key](value):
            raise Refused("bad_filter", _("No %(key)s %(value)s."), key=key, value=value)
        else:
            cleaned[key] = value
    return cleaned
