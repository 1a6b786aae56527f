"""From a format and a subject to HTML and PDF: find the format in use, stamp, render, merge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from kaohe.models import PrintFormat

from .context import Document
from .pdf import html_document, merge, render_many
from .sandbox import render
from .stamp import stamp


def current_formats():
    """The newest version of every format (the one in use), by code."""
    newest = PrintFormat.objects.filter(code=OuterRef("code")).order_by("-version").values("version")[:1]
    return list(PrintFormat.objects.filter(version=Subquery(newest)).order_by("code"))


def current_format(code: str) -> PrintFormat | None:
    return PrintFormat.objects.filter(code=code).order_by("-version").first()


def enabled_formats(subject: str) -> list[PrintFormat]:
    """What a subject's "Print" menu lists: the formats in use for it that are enabled."""
    return [f for f in current_formats() if f.subject == subject and f.enabled]


def page_html(fmt, document: Document, base: str | None = None) -> tuple[str, dict]:
    """The document's complete HTML page and the stamped context it was rendered from.

    Raises :class:`kaohe.printing.sandbox.TemplateProblem` when the template fails.
    """
    context = stamp(document, fmt, base)
    return html_document(fmt, render(fmt.template, context)), context


@dataclass
class Printed:
    pdf: bytes
    stamped: list[tuple[Document, dict]]  # each document with its context (verification code, draft…)


def print_documents(fmt, documents: list[Document], *, base: str | None = None,
                    progress: Callable[[int], None] | None = None) -> Printed:
    """One PDF of every document, each laid out on its own (page numbers restart) and merged in order."""
    pages, stamped = [], []
    for document in documents:
        html, context = page_html(fmt, document, base)
        pages.append(html)
        stamped.append((document, context))
    return Printed(merge(render_many(pages, progress)), stamped)
