"""A report as PDF through the print layer: the result turned into the plain dict the sandboxed sheet reads,
with a bar chart drawn as static SVG (other chart kinds are named, not drawn, on paper)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.numbers import plain
from kaohe.printing.report_sheet import sheet_pdf

from .base import BOOL, DATE, DECIMAL, INT, LINK, ReportResult
from .filter_text import readable_filters
from .scores import neutral

PALETTE = ("#3b6ea5", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6")
MOST_BARS = 60  # beyond this a bar chart on paper is unreadable: the first ones are drawn, and it says so
MOST_ROWS = 1000  # about 17 s of WeasyPrint on this machine; more is a job for XLSX, and the sheet says so
WIDE = 110  # characters of column width beyond which the sheet is laid out in landscape
WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 680, 270, 70, 38, 80  # the chart's drawing, in CSS pixels


def cell(value, kind: str) -> str:
    """A cell as printed: numbers as people write them, dates ISO, and text that would run as a formula once
    pasted into a spreadsheet neutralised as in every other export."""
    if value is None:
        return ""
    if kind == BOOL:
        return _("yes") if value else ""
    if kind in (DECIMAL, INT):
        return plain(value) if isinstance(value, Decimal) else str(value)
    if kind == DATE and isinstance(value, date):
        return value.isoformat()
    return neutral(str(value))


def _number(text) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def bar_chart(spec: dict) -> dict | None:
    """Bars with their value on top, the category below, one colour per series, a dashed mark at a limit."""
    values = [_number(v) for v in spec.get("values", [])][:MOST_BARS]
    if not values or any(v is None for v in values):
        return None
    limits = list(spec.get("limits") or [])[:MOST_BARS]
    marks = [Decimal(limit) for limit in limits if limit is not None]
    low, high = min([Decimal(0), *values, *marks]), max([Decimal(0), *values, *marks])
    span = (high - low) or Decimal(1)
    plot = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - 8) / len(values)

    def y(value: Decimal) -> float:
        return round(TOP + float((high - value) / span) * plot, 1)

    series = list(dict.fromkeys(spec.get("series") or []))
    bars = []
    for n, value in enumerate(values):
        name = spec["series"][n] if n < len(spec.get("series") or []) else ""
        top, bottom = sorted((y(value), y(Decimal(0))))
        limit = limits[n] if n < len(limits) else None
        bars.append({
            "x": round(LEFT + n * step + step * 0.15, 1), "w": round(step * 0.7, 1), "y": top,
            "h": max(round(bottom - top, 1), 0.5), "value": plain(value), "value_y": round(top - 2, 1),
            "label": str(spec["categories"][n]) if n < len(spec.get("categories", [])) else "",
            "colour": PALETTE[series.index(name) % len(PALETTE)] if name in series else PALETTE[0],
            "limit_y": y(Decimal(limit)) if limit is not None else None,
        })
    note = ""
    if len(spec.get("values", [])) > MOST_BARS:
        note = _("The first %(count)d bars of %(total)d.") % {"count": MOST_BARS, "total": len(spec["values"])}
    if marks:
        note = " ".join(filter(None, [note, _("A dashed red mark: the quota's head count.")]))
    return {"title": spec.get("title", ""), "width": WIDTH, "height": HEIGHT, "left": LEFT, "zero": y(Decimal(0)),
            "label_y": HEIGHT - BOTTOM + 12, "bars": bars, "note": note}


def context(result: ReportResult) -> dict:
    columns = [c for c in result.columns if c.type != LINK]
    total = sum(c.width for c in columns) or 1
    chart = bar_chart(result.chart) if result.chart and result.chart.get("kind") == "bar" else None
    return {
        "title": result.name, "round": str(result.meta.get("round", "")),
        "filters": [{"label": label, "value": value} for label, value in readable_filters(result)],
        "columns": [{"label": str(c.label), "numeric": c.type in (DECIMAL, INT), "whole": c.type in (DATE, BOOL),
                     "width": f"{100 * c.width / total:.1f}%"} for c in columns],
        "rows": [[cell(row.get(c.key), c.type) for c in columns] for row in result.rows[:MOST_ROWS]],
        "rows_note": _("The first %(count)d rows of %(total)d: filter the report, or export XLSX for every row.")
        % {"count": MOST_ROWS, "total": len(result.rows)} if len(result.rows) > MOST_ROWS else "",
        "summary": result.summary, "chart": chart,
        "chart_note": _("The chart is shown in the Desk only.") if result.chart and chart is None else "",
        "printed": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "labels": {"round": _("Round"), "filters": _("Filters"), "no_filters": _("none"),
                   "summary": _("Summary"), "printed": _("Printed"), "nothing": _("Nothing to show.")},
    }


def as_pdf(result: ReportResult) -> bytes:
    landscape = sum(c.width for c in result.columns if c.type != LINK) > WIDE
    return sheet_pdf(context(result), landscape=landscape)
