"""Which of a round's sheets wait for this user's round-wide step: submit (section staff) or sign (section head)."""

from __future__ import annotations

from kaohe.permissions import inbox_scope
from kaohe.workflow.states import SheetState, Step

ROUND_WIDE_STEPS = (Step.SUBMIT, Step.SIGN)


def sheets_waiting(round_, user, action: str):
    """The sheets ``action`` would take for ``user`` in ``round_``, in the order the confirmation lists them.

    Submit: the drafts and returned sheets of the sections the user enters for. Sign: the submitted sheets of
    the sections the user signs for (by delegation too), except the ones the user submitted.
    """
    scope = inbox_scope(user)
    sheets = round_.sheets.select_related("section", "unit").order_by("section__code", "unit__name")
    if action == Step.SUBMIT:
        return sheets.filter(section_id__in=scope["fill"], state__in=[SheetState.DRAFT, SheetState.RETURNED])
    if action == Step.SIGN:
        return sheets.filter(section_id__in=scope["sign"], state=SheetState.SUBMITTED).exclude(submitted_by=user)
    return sheets.none()
