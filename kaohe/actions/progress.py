"""MBO progress in the Desk: an owner reports a task's month (cumulative actual, evidence, comment); the direct
superior reviews it (comment, rating, whether the actual stands). An accepted review writes the month's
``Measurement``, so the year-end roll-up counts reviewed progress only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.imports.fields import CellError, column_limits, parse_decimal
from kaohe.imports.ratings import parse_rating
from kaohe.models import Measurement, ProgressReport, ProgressReview
from kaohe.permissions import can_report_progress, can_review_progress
from kaohe.refusals import NotAllowed, Refused

from .audit import audit
from .evidence import check_upload
from .locks import LockBook, alone


def _section_of(rule) -> int | None:
    node = rule.indicator
    while node is not None and node.section_id is None:
        node = node.parent
    return node.section_id if node is not None else None


def _check_unlocked(rule, month: date) -> None:
    refusal = LockBook(rule.scheme).for_row(rule.indicator.owner_id, _section_of(rule), month)
    if refusal is not None:
        raise refusal


def _actual(text: str) -> Decimal:
    try:
        return parse_decimal(text, **column_limits(ProgressReport, "actual"))
    except CellError as exc:
        raise Refused("bad_actual", _("The actual: %(why)s."), why=str(exc)) from None


@transaction.atomic
def do_report_progress(rule, month: date, actual_text: str, *, comment: str = "", evidence=None,
                       acting_user) -> ProgressReport:
    """The owner's report for one month; again before it is reviewed replaces it, afterwards it is refused."""
    if not can_report_progress(acting_user, rule):
        raise NotAllowed("not_task_owner", _("Only the task's owner reports its progress."))
    if month.year != rule.scheme.year:
        raise Refused("month_outside_year", _("Report a month of %(year)s."), year=rule.scheme.year)
    actual = _actual(actual_text)
    if evidence is not None:
        try:
            check_upload(evidence)
        except ValidationError as exc:
            # the upload check already speaks the reader's language
            raise Refused("bad_evidence", exc.messages[0]) from None
    _check_unlocked(rule, month)
    report = ProgressReport.objects.select_for_update().filter(rule=rule, month=month).first()
    if report is not None and hasattr(report, "review"):
        raise Refused("already_reviewed", _("%(month)s was reviewed already; report the next month instead."),
                      month=f"{month:%Y-%m}")
    before = None if report is None else {"actual": report.actual}
    report = report or ProgressReport(rule=rule, month=month)
    report.actual, report.comment, report.reported_by = actual, comment.strip(), acting_user
    if evidence is not None:
        report.evidence = evidence
    report.save()
    audit(acting_user, "progress.report", scheme=rule.scheme, target=report, before=before,
          after={"actual": actual, "month": f"{month:%Y-%m}"})
    return report


@transaction.atomic
def do_review_progress(report, *, accepted: bool, rating_text: str, comment: str, acting_user) -> ProgressReview:
    """The superior's review; an accepted actual becomes the task's measurement for that month."""
    report = ProgressReport.objects.select_for_update(**alone()).select_related("rule__scheme", "rule__indicator").get(
        pk=report.pk)
    if not can_review_progress(acting_user, report):
        raise NotAllowed("not_direct_superior", _("Only the owner's direct superior reviews this progress."))
    if hasattr(report, "review"):
        raise Refused("already_reviewed", _("%(month)s was reviewed already; report the next month instead."),
                      month=f"{report.month:%Y-%m}")
    if not comment.strip():
        raise Refused("review_comment_required", _("Say in a comment what the review found."))
    scale = {k.upper(): v for k, v in report.rule.scheme.rating_scale.items()}  # none: points 0–100
    try:
        value, letter = parse_rating(rating_text, scale)
    except CellError as exc:
        raise Refused("bad_rating", _("The rating: %(why)s."), why=str(exc)) from None
    rule = report.rule
    measurement = None
    if accepted:
        _check_unlocked(rule, report.month)
        measurement, _made = Measurement.objects.update_or_create(
            scheme=rule.scheme, unit=None, rule=rule, date=report.month,
            defaults={"actual": report.actual, "note": comment.strip(), "created_by": acting_user, "batch": None})
    review = ProgressReview.objects.create(report=report, accepted=accepted, rating=letter, value=value,
                                           comment=comment.strip(), reviewer=acting_user, measurement=measurement)
    audit(acting_user, "progress.review", scheme=rule.scheme, target=report,
          after={"accepted": accepted, "rating": letter or value, "measurement": getattr(measurement, "pk", None)})
    return review
