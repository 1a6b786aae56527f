"""What waits for a user (to-dos, counted on the inbox badge), apart from what happened (notifications)."""

from __future__ import annotations

from django.db.models import Count

from kaohe.models import Objection, Round, ScoreSheet
from kaohe.permissions import inbox_scope
from kaohe.workflow.states import RoundState, SheetState

from .progress import unreviewed_count
from .rating_entry import open_assignments


def waiting_for(user) -> dict:
    """Sheets and rounds where the next step is this user's."""
    to_fill, to_sign, rounds, objections = _waiting(user, inbox_scope(user))
    return {
        # one line per round and section (a head of nine sections reads nine lines, not 150 sheets)
        "to_fill": _by_section(to_fill),
        "to_sign": _by_section(to_sign),
        "rounds": rounds.select_related("scheme"),
        "objections": objections.select_related("sheet__unit", "sheet__section", "round"),
    }


def _waiting(user, scope: dict) -> tuple:
    """The sheets to fill, the sheets to sign, the rounds to act on and the objections to answer (unread
    querysets), within the user's ``scope``."""
    open_rounds = Round.objects.exclude(state=RoundState.CLOSED)
    to_fill = ScoreSheet.objects.filter(round__in=open_rounds, section_id__in=scope["fill"],
                                        state__in=[SheetState.DRAFT, SheetState.RETURNED])
    to_sign = ScoreSheet.objects.filter(round__in=open_rounds, section_id__in=scope["sign"],
                                        state=SheetState.SUBMITTED).exclude(submitted_by=user)
    rounds = open_rounds.filter(state__in=scope["round_states"])
    objections = Objection.objects.filter(answered_at__isnull=True)
    if not scope["all_objections"]:
        objections = objections.filter(sheet__section_id__in=scope["sign"])
    return to_fill, to_sign, rounds, objections


def _by_section(sheets) -> list[dict]:
    return list(sheets.values("round_id", "round__name", "section__code", "section__name")
                .annotate(n=Count("id")).order_by("round_id", "section__code"))


def todo_count(user) -> int:
    """The inbox badge: one per line of "what waits for me" (a round and section, a round, an objection), per
    person still to rate, and per month of progress waiting for the user's review.

    Every page shows it, so each part is one COUNT, and a part outside the user's roles is not asked at all.
    """
    count = unreviewed_count(user)
    count += open_assignments(user).order_by().count()
    scope = inbox_scope(user)
    to_fill, to_sign, rounds, objections = _waiting(user, scope)
    if scope["fill"]:
        count += _lines(to_fill)
    if scope["sign"]:
        count += _lines(to_sign)
    if scope["round_states"]:
        count += rounds.count()
    if scope["all_objections"] or scope["sign"]:
        count += objections.count()
    return count


def _lines(sheets) -> int:
    """How many (round, section) lines the sheets make, as :func:`waiting_for` lists them."""
    return sheets.values("round_id", "section_id").distinct().count()
