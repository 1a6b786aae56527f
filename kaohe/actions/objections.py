"""A unit's objection (申诉): it reopens one sheet, which walks the route again, then is answered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kaohe.models import Membership, Objection, ScoreSheet
from kaohe.permissions import can_answer_objection, can_file_objection
from kaohe.workflow.route import RouteRefused, do_transition

from .evidence import check_upload
from .notify import notify


@transaction.atomic
def do_file_objection(sheet: ScoreSheet, *, reason: str, evidence=None, acting_user) -> Objection:
    if not can_file_objection(acting_user, sheet.round, sheet.unit):
        raise PermissionDenied("only the unit itself may object, while its result is published")
    if not reason.strip():
        raise RouteRefused("comment_required", "an objection needs a reason")
    if evidence is not None:
        check_upload(evidence)
    do_transition(sheet, "object", acting_user=acting_user, comment=reason)
    return Objection.objects.create(round=sheet.round, sheet=sheet, filed_by=acting_user, reason=reason.strip(),
                                    evidence=evidence or "")


@transaction.atomic
def do_answer_objection(objection: Objection, *, answer: str, acting_user) -> Objection:
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not can_answer_objection(acting_user, objection):
        raise PermissionDenied("only the section's head or the collecting section answers")
    if objection.answered_at is not None:
        raise RouteRefused("already_answered", "this objection is already answered")
    if objection.sheet.state != "signed":
        raise RouteRefused("sheet_not_signed", "the reopened sheet must be signed again before the answer")
    if not answer.strip():
        raise RouteRefused("comment_required", "the answer needs text")
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), acting_user, timezone.now()
    objection.save()
    users = Membership.objects.filter(role="unit", unit=objection.sheet.unit).values_list("user_id", flat=True)
    from django.urls import reverse

    url = reverse("kaohe:unit_result", args=[objection.round_id, objection.sheet.unit_id])
    transaction.on_commit(lambda: notify(users, f"您的申诉已答复：{objection.sheet.section.name}", url))
    return objection
