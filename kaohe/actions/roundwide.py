"""Round-wide work: submit or sign, in one go, exactly the sheets the user confirmed; each sheet takes its own
step of the route (its own log line, signature and notification)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.refusals import Refused
from kaohe.services.roundwide import ROUND_WIDE_STEPS, sheets_waiting

from .audit import audit
from .locks import alone
from .transitions import do_transition


@transaction.atomic
def do_round_wide_step(round_, action: str, sheet_ids, *, acting_user) -> int:
    """Take ``action`` on every confirmed sheet, or on none.

    The confirmation page listed ``sheet_ids``; when what waits is no longer exactly that list (someone
    submitted, signed or returned a sheet meanwhile), nothing is done and the user confirms the new list.
    """
    if action not in ROUND_WIDE_STEPS:
        raise Refused("not_round_wide", _("This step is taken sheet by sheet."))
    confirmed = set(sheet_ids)
    waiting = list(sheets_waiting(round_, acting_user, action).select_for_update(**alone()))
    if not confirmed or {s.pk for s in waiting} != confirmed:
        raise Refused("list_changed", _("The sheets waiting for you changed since you confirmed; nothing was "
                                        "done. Check the new list and confirm again."))
    for sheet in waiting:
        do_transition(sheet, action, acting_user=acting_user)
    audit(acting_user, f"round.{action}_all", target=round_, after={"sheets": sorted(confirmed)})
    return len(waiting)
