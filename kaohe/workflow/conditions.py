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


CONDITIONS: dict[str, Condition] = {
    "all_sheets_signed": Condition("all sheets signed", _all_sheets_signed, "not every sheet of the round is signed"),
    "within_objection_window": Condition("within the objection window", _within_objection_window,
                                         "the objection window is closed"),
    "no_open_objection": Condition("no open objection", _no_open_objection, "an objection is still open"),
    "round_open": Condition("the round is open", _round_open, "the round is not open for changes"),
    "round_collected": Condition("the round is collected", _round_collected,
                                 "a sheet can be sent back only while the round is collected"),
}
