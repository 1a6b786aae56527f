"""Improvement plans (改进计划) for those graded 不合格; the round closes only when each has one."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.models import ImprovementPlan
from kaohe.permissions import can_write_plan
from kaohe.refusals import NotAllowed, Refused
from kaohe.workflow.states import RoundState

from .audit import audit, fields_of


@transaction.atomic
def do_save_plan(round_, unit, *, actions: str, owner: str, due: date | None, follow_up: str = "",
                 acting_user) -> ImprovementPlan:
    if not can_write_plan(acting_user, round_):
        raise NotAllowed("plan_writers", _("Only the collecting section or the section heads write improvement "
                                           "plans."))
    if round_.state == RoundState.CLOSED:
        raise Refused("round_closed", _("The round is closed."))
    if not round_.sheets.filter(unit=unit).exists():
        raise Refused("not_in_round", _("%(unit)s is not assessed in %(round)s."), unit=unit.name, round=round_.name)
    if not actions.strip() or not owner.strip() or due is None:
        raise Refused("plan_incomplete", _("A plan needs its actions, an owner and a due date."))
    before = ImprovementPlan.objects.filter(round=round_, unit=unit).first()
    plan, _created = ImprovementPlan.objects.update_or_create(
        round=round_, unit=unit,
        defaults={"actions": actions.strip(), "owner": owner.strip(), "due": due, "follow_up": follow_up.strip(),
                  "created_by": acting_user},
    )
    audit(acting_user, "plan.save", scheme=round_.scheme, target=plan,
          before=fields_of(before) if before else None, after=fields_of(plan))
    return plan
