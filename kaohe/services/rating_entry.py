"""Reads for rating in the Desk: what an assignment asks for, its period, and progress per rater group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from kaohe.imports.periods import parse_period
from kaohe.models import RatingAssignment, Rule
from kaohe.scoring import Kind
from kaohe.workflow.states import RoundState

QUARTER_OF = {m: (m - 1) // 3 + 1 for m in range(1, 13)}


def criteria_for(assignment) -> list[Rule]:
    """The rating rules the assignment's source rates (all of the scheme's when the source names none)."""
    source = assignment.group.source
    rules = Rule.objects.filter(scheme=source.scheme, kind=Kind.RATING).select_related("indicator")
    if source.criteria:
        rules = rules.filter(code__in=source.criteria)
    return list(rules.order_by("order", "code"))


def period_for(source, round_) -> tuple[str, date]:
    """The rating period a round's ratings fall in, by the source's calendar, and its last day."""
    year, month = round_.scheme.year, round_.as_of_month
    text = {"annual": f"{year}", "half_yearly": f"{year}-H{1 if month <= 6 else 2}",
            "quarterly": f"{year}-Q{QUARTER_OF[month]}", "random": f"{year}-{month:02d}"}[source.calendar]
    return parse_period(text, source.calendar, year)


def uses_letters(scheme) -> bool:
    """A–D from the scheme's scale, or points 0–100 when the scheme has no scale."""
    return bool(scheme.rating_scale)


def needs_note(group, value: Decimal) -> bool:
    return group.note_below is not None and value < group.note_below


def open_assignments(user):
    """What the user still has to rate, in every round that is open."""
    return (RatingAssignment.objects.filter(rater=user, submitted_at__isnull=True, round__state=RoundState.OPEN)
            .select_related("round", "group__source", "ratee").order_by("round", "group__source__order",
                                                                       "group__order", "ratee__name"))


@dataclass(frozen=True)
class GroupProgress:
    source: str
    group: str
    deadline: date | None
    assigned: int
    drafted: int
    submitted: int


def progress_by_group(round_) -> list[GroupProgress]:
    """Per rater group: how many assignments, how many with a draft, how many submitted (never who rated)."""
    rows = (RatingAssignment.objects.filter(round=round_)
            .values("group__source__name", "group__source__order", "group__name", "group__order", "group__deadline")
            .annotate(assigned=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False)),
                      drafted=Count("id", filter=Q(submitted_at__isnull=True, saved_at__isnull=False)))
            .order_by("group__source__order", "group__order"))
    return [GroupProgress(r["group__source__name"], r["group__name"], r["group__deadline"], r["assigned"],
                          r["drafted"], r["submitted"]) for r in rows]
