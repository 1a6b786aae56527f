"""Reads for MBO progress in the Desk: the tasks a person owns, the reports their direct superior reviews."""

from __future__ import annotations

import calendar
from datetime import date

from kaohe.models import ProgressReport, Rule
from kaohe.permissions import roles
from kaohe.scoring import Method


def month_of(text: str) -> date | None:
    """``2026-05`` → the month's last day, or None when it is not a month."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return date(year, month, calendar.monthrange(year, month)[1])
    except (ValueError, calendar.IllegalMonthError):
        return None


def tasks_owned(user):
    """Leaf tasks of objectives schemes whose owner the user speaks for."""
    return (Rule.objects.filter(scheme__method=Method.OBJECTIVES, indicator__owner_id__in=roles(user).units)
            .select_related("scheme", "indicator__owner").order_by("scheme", "order", "code"))


def reports_to_review(user):
    """Reports on tasks whose parent node is owned by someone the user speaks for (the owner's superior)."""
    units = roles(user).units
    return (ProgressReport.objects.filter(rule__indicator__parent__owner_id__in=units)
            .exclude(rule__indicator__owner_id__in=units)
            .select_related("rule__scheme", "rule__indicator__owner", "review").order_by("review", "-month"))


def unreviewed_count(user) -> int:
    units = roles(user).units
    if not units:
        return 0
    return reports_to_review(user).filter(review__isnull=True).count()
