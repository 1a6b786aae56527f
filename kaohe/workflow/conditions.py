"""Named conditions a transition may require; administrators pick one by name (no free-form code)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    label: str
    check: Callable[[object], bool]
    refusal: str


def _round(obj):
    """Conditions may sit on a sheet's transition or a round's; they all ask about the round."""
    return getattr(obj, "round", None) or obj


def _all_sheets_signed(obj) -> bool:
    return not _round(obj).sheets.exclude(state="signed").exists()


def _within_objection_window(obj) -> bool:
    from django.utils import timezone

    deadline = _round(obj).objection_deadline()
    return deadline is not None and timezone.localdate() <= deadline


def _no_open_objection(obj) -> bool:
    return not _round(obj).objections.filter(answered_at__isnull=True).exists()


def _round_open(obj) -> bool:
    return _round(obj).state == "open"


def _round_collected(obj) -> bool:
    return _round(obj).state == "collected"


def _plans_in_place(obj) -> bool:
    """Everyone whose grade needs an improvement plan (不合格) has one with actions, owner and due date."""
    return not missing_plans(_round(obj))


def missing_plans(round_) -> list[str]:
    from kaohe.services.ranking import scored_round

    needing = set(round_.scheme.grades.filter(needs_plan=True).values_list("code", flat=True))
    if not needing:
        return []
    graded = [u.unit for u in scored_round(round_).units if u.grade in needing]
    planned = set(round_.plans.exclude(actions="").exclude(owner="").values_list("unit__name", flat=True))
    return sorted(set(graded) - planned)


def _ready_to_close(obj) -> bool:
    return _no_open_objection(obj) and _plans_in_place(obj)


CONDITIONS: dict[str, Condition] = {
    "all_sheets_signed": Condition("all sheets signed", _all_sheets_signed, "not every sheet of the round is signed"),
    "within_objection_window": Condition("within the objection window", _within_objection_window,
                                         "the objection window is closed"),
    "no_open_objection": Condition("no open objection", _no_open_objection, "an objection is still open"),
    "plans_in_place": Condition("improvement plans in place", _plans_in_place,
                                "someone graded 不合格 has no improvement plan (actions, owner, due date)"),
    "ready_to_close": Condition("no open objection and improvement plans in place", _ready_to_close,
                                "an objection is still open, or someone graded 不合格 has no improvement plan"),
    "round_open": Condition("the round is open", _round_open, "the round is not open for changes"),
    "round_collected": Condition("the round is collected", _round_collected,
                                 "a sheet can be sent back only while the round is collected"),
}
