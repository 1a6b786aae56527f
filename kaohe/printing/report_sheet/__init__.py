"""A report on paper: one generic sheet (title, round, filters, the chart as static SVG, the table, the summary)
rendered from a plain dict in the print layer's sandbox and laid out by WeasyPrint with the CJK font."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..pdf import html_document, render_pdf
from ..sandbox import render

HERE = Path(__file__).resolve().parent
TEMPLATE = (HERE / "sheet.html").read_text(encoding="utf-8")
CSS = (HERE / "sheet.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class SheetFormat:
    """What ``html_document`` reads of a print format: a report sheet is not stored, so it is made here."""

    name: str
    orientation: str = "portrait"
    page_size: str = "A4"
    css: str = CSS


def sheet_html(context: dict, *, landscape: bool = False) -> str:
    fmt = SheetFormat(name=context["title"], orientation="landscape" if landscape else "portrait")
    return html_document(fmt, render(TEMPLATE, context))


def sheet_pdf(context: dict, *, landscape: bool = False) -> bytes:
    return render_pdf(sheet_html(context, landscape=landscape))
