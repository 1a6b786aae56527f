"""The filters a report was run with, as people read them in every file they open (PDF, XLSX): the filter's
label in the reader's language, a group's or a section's name before its code."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from kaohe.models import Section, UnitGroup

from .base import FILTER_LABELS, ReportResult
from .scores import neutral

NAMED = {"group": UnitGroup, "section": Section}


def filter_value(key: str, value) -> str:
    model = NAMED.get(key)
    name = model.objects.filter(code=value).values_list("name", flat=True).first() if model else None
    text = value.isoformat() if isinstance(value, date) else str(value)
    return neutral(f"{name} ({text})" if name else text)


def readable_filters(result: ReportResult) -> list[tuple[str, str]]:
    """(label, value) of each filter used, in the order the report lists them."""
    return [(str(FILTER_LABELS.get(key, key)), filter_value(key, value)) for key, value in result.filters.items()]


def filters_text(result: ReportResult) -> str:
    """One line, as the PDF's heading prints it: ``Filters: section: 财务统计科 (caitong); unit: 城关镇``."""
    used = "; ".join(f"{label}: {value}" for label, value in readable_filters(result)) or _("none")
    return _("Filters") + ": " + used
