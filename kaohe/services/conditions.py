"""The named conditions a transition may require, evaluated against the database and the scored result."""

from __future__ import annotations

from django.utils import timezone

from kaohe.models import Round
from kaohe.workflow.models import CONDITIONS
from kaohe.workflow.states import RoundState, SheetState

from .published import changed_since_published
from .ranking import scored_round


def _round(obj) -> Round:
    """Conditions may sit on a sheet's transition or a round's; they all ask about the round."""
    return getattr(obj, "round", None) or obj


def _all_sheets_signed(obj) -> bool:
    return not _round(obj).sheets.exclude(state=SheetState.SIGNED).exists()


def _within_objection_window(obj) -> bool:
    round_ = _round(obj)
    deadline = round_.objection_deadline()
    return round_.state == RoundState.PUBLISHED and deadline is not None and timezone.localdate() <= deadline


def _no_open_objection(obj) -> bool:
    return not _round(obj).objections.filter(answered_at__isnull=True).exists()


def missing_plans(round_) -> list[str]:
    """Everyone whose grade needs an improvement plan (不合格) and has none with actions and an owner."""
    needing = set(round_.scheme.grades.filter(needs_plan=True).values_list("code", flat=True))
    if not needing:
        return []
    graded = [u.unit for u in scored_round(round_).units if u.grade in needing]
    planned = set(round_.plans.exclude(actions="").exclude(owner="").values_list("unit__name", flat=True))
    return sorted(set(graded) - planned)


def _plans_in_place(obj) -> bool:
    return not missing_plans(_round(obj))


def _result_changed(obj) -> bool:
    """Every sheet is signed again and the result differs from the latest published version."""
    return _all_sheets_signed(obj) and changed_since_published(_round(obj))


CHECKS = {
    "all_sheets_signed": _all_sheets_signed,
    "within_objection_window": _within_objection_window,
    "no_open_objection": _no_open_objection,
    "plans_in_place": _plans_in_place,
    "ready_to_close": lambda obj: (_no_open_objection(obj) and _plans_in_place(obj) and _all_sheets_signed(obj)
                                   and not changed_since_published(_round(obj))),
    "round_open": lambda obj: _round(obj).state == RoundState.OPEN,
    "round_collected": lambda obj: _round(obj).state == RoundState.COLLECTED,
    "result_changed": _result_changed,
}
assert set(CHECKS) == set(CONDITIONS), "every named condition has a check"


def condition_holds(name: str, obj) -> bool:
    return CHECKS[name](obj)


def refusal_for(name: str):
    return CONDITIONS[name][1]
