"""Improvement plans (改进计划) for those graded 不合格; the round closes only when each has one."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaohe.models import ImprovementPlan
from kaohe.permissions import can_write_plan
from kaohe.workflow.route import RouteRefused


@transaction.atomic
def do_save_plan(round_, unit, *, actions: str, owner: str, due: date | None, follow_up: str = "",
                 acting_user) -> ImprovementPlan:
    if not can_write_plan(acting_user, round_):
        raise PermissionDenied("only the collecting section or the section heads write improvement plans")
    if round_.state == "closed":
        raise RouteRefused("round_closed", "the round is closed")
    if not actions.strip() or not owner.strip() or due is None:
        raise RouteRefused("plan_incomplete", "a plan needs its actions, an owner and a due date")
    plan, _created = ImprovementPlan.objects.update_or_create(
        round=round_, unit=unit,
        defaults={"actions": actions.strip(), "owner": owner.strip(), "due": due, "follow_up": follow_up.strip(),
                  "created_by": acting_user},
    )
    return plan
