"""Ratings given in the Desk: raters assigned per round, a draft saved as often as needed, one submission
before the rater group's deadline that writes ordinary ``Rating`` rows (what the engine and imports use)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kaohe.imports.fields import CellError
from kaohe.imports.ratings import parse_rating
from kaohe.models import Rating, RatingAssignment
from kaohe.permissions import can_import, can_rate
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.rating_entry import criteria_for, needs_note, period_for
from kaohe.workflow.states import RoundState

from .audit import audit
from .locks import LockBook, alone

SELF_GROUP = "self"


class RatingsRejected(Refused):
    """Some criteria cannot be accepted; ``errors`` maps each criterion code to its sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("ratings_rejected", _("Some ratings need attention; nothing was saved."))
        self.errors = errors


def _check_open(assignment, acting_user, today: date) -> None:
    if not can_rate(acting_user, assignment):
        raise NotAllowed("not_your_rating", _("These ratings are another rater's to give."))
    if assignment.submitted_at is not None:
        raise Refused("ratings_submitted", _("These ratings were submitted on %(when)s and can no longer change."),
                      when=date_format(timezone.localtime(assignment.submitted_at), "Y-m-d H:i"))
    if assignment.round.state != RoundState.OPEN:
        raise Refused("round_not_open", _("The round %(round)s is no longer open for ratings."),
                      round=assignment.round.name)
    if assignment.group.source.survey:
        raise Refused("survey_source", _("%(source)s is answered only through its questionnaire, not by "
                                         "assigned raters."), source=assignment.group.source.name)
    deadline = assignment.group.deadline
    if deadline is not None and today > deadline:
        raise Refused("rating_deadline_passed", _("Ratings for %(group)s were due by %(deadline)s; the deadline "
                                                  "has passed and nothing was saved."),
                      group=assignment.group.name, deadline=deadline.isoformat())


def _parsed(assignment, entries: dict[str, tuple[str, str]], *, complete: bool) -> dict:
    """criterion code → (points, letter, note); every problem by criterion in one refusal."""
    scale = {k.upper(): v for k, v in assignment.round.scheme.rating_scale.items()}
    parsed, errors = {}, {}
    for rule in criteria_for(assignment):
        text, note = entries.get(rule.code, ("", ""))
        text, note = (text or "").strip(), (note or "").strip()
        if not text:
            if complete:
                errors[rule.code] = str(_("Rate this criterion before submitting."))
            continue
        try:
            value, letter = parse_rating(text, scale)
        except CellError as exc:
            errors[rule.code] = str(exc)
            continue
        if complete and needs_note(assignment.group, value) and not note:
            errors[rule.code] = str(_("A rating under %(points)s points needs a note saying why.")
                                    % {"points": assignment.group.note_below.normalize()})
            continue
        parsed[rule] = (value, letter, note)
    if errors:
        raise RatingsRejected(errors)
    return parsed


@transaction.atomic
def do_save_rating_draft(assignment, entries: dict[str, tuple[str, str]], *, acting_user,
                         today: date | None = None) -> RatingAssignment:
    """Keep what the rater typed so far (nothing reaches the result until it is submitted)."""
    assignment = RatingAssignment.objects.select_for_update(**alone()).select_related("round__scheme", "group").get(
        pk=assignment.pk)
    _check_open(assignment, acting_user, today or timezone.localdate())
    parsed = _parsed(assignment, entries, complete=False)
    assignment.draft = {rule.code: {"rating": letter or str(value.normalize()), "note": note}
                        for rule, (value, letter, note) in parsed.items()}
    assignment.saved_at = timezone.now()
    assignment.save(update_fields=["draft", "saved_at"])
    audit(acting_user, "ratings.draft", scheme=assignment.round.scheme, target=assignment,
          after={"criteria": len(parsed)})
    return assignment


def _section_of(rule) -> int | None:
    node = rule.indicator
    while node is not None and node.section_id is None:
        node = node.parent
    return node.section_id if node is not None else None


@transaction.atomic
def do_submit_ratings(assignment, entries: dict[str, tuple[str, str]], *, acting_user,
                      today: date | None = None) -> int:
    """Every criterion rated (with a note where the rater group asks): the ratings count from now on."""
    assignment = RatingAssignment.objects.select_for_update(**alone()).select_related(
        "round__scheme", "group__source", "ratee").get(pk=assignment.pk)
    _check_open(assignment, acting_user, today or timezone.localdate())
    parsed = _parsed(assignment, entries, complete=True)
    scheme, source, group = assignment.round.scheme, assignment.group.source, assignment.group
    period, end = period_for(source, assignment.round)
    locks = LockBook(scheme)
    for rule in parsed:
        refusal = None if locks.empty else locks.for_row(assignment.ratee_id, _section_of(rule), end)
        if refusal is not None:
            raise refusal
    for rule, (value, letter, note) in parsed.items():
        Rating.objects.update_or_create(
            scheme=scheme, unit=assignment.ratee, rule=rule, source=source, rater_group=group.code,
            rater=acting_user.get_username(), period=period,
            defaults={"date": end, "value": value, "letter": letter, "note": note, "batch": None})
    assignment.draft = {}
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["draft", "submitted_at"])
    audit(acting_user, "ratings.submit", scheme=scheme, target=assignment,
          after={"criteria": len(parsed), "period": period})
    return len(parsed)


@transaction.atomic
def do_assign_raters(round_, assignments, *, acting_user) -> int:
    """``assignments``: (rater group, rater user, ratee unit) triples; existing ones are kept as they are."""
    if not can_import(acting_user):
        raise NotAllowed("not_allowed_to_assign", _("Only the administrator or the collecting section assigns "
                                                    "raters."))
    made = 0
    for group, rater, ratee in assignments:
        if group.source.scheme_id != round_.scheme_id:
            raise Refused("group_of_other_scheme", _("%(group)s belongs to another scheme."), group=group.name)
        if group.source.survey:
            raise Refused("survey_source", _("%(source)s is answered only through its questionnaire, not by "
                                             "assigned raters."), source=group.source.name)
        speaks_for_ratee = rater.memberships.filter(role="unit", unit=ratee).exists()
        if speaks_for_ratee != (group.code == SELF_GROUP):
            raise Refused("rates_self", _("A person rates themselves only in a self-appraisal, and a "
                                          "self-appraisal is their own (%(ratee)s)."), ratee=ratee.name)
        _obj, created = RatingAssignment.objects.get_or_create(round=round_, group=group, rater=rater, ratee=ratee)
        made += created
    audit(acting_user, "ratings.assign", scheme=round_.scheme, target=round_, after={"new": made})
    return made
