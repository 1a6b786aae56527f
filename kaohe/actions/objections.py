"""A unit's objection (申诉): it returns one signed sheet to its section, which walks the route again.

The answer is kept whatever then happens to the sheet. If the sheet signed again changes the result,
the collector collects it again and the meeting approves a new published version.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.models import Membership, Objection, Role, ScoreSheet
from kaohe.permissions import can_answer_objection, can_file_objection, is_unit_of
from kaohe.refusals import NotAllowed, Refused
from kaohe.workflow.states import Step

from .audit import audit
from .evidence import check_upload
from .notify import notify
from .transitions import do_transition


@transaction.atomic
def do_file_objection(sheet: ScoreSheet, *, reason: str, evidence=None, acting_user) -> Objection:
    if not is_unit_of(acting_user, sheet.unit):
        raise NotAllowed("unit_only", _("Only the unit itself may object to its result."))
    if not can_file_objection(acting_user, sheet.round, sheet.unit):
        raise Refused("within_objection_window", _("An objection is possible only while the result is published "
                                                   "and the objection window is open."))
    if not reason.strip():
        raise Refused("comment_required", _("An objection needs a reason."))
    if evidence is not None:
        try:
            check_upload(evidence)
        except ValidationError as bad:
            raise Refused("bad_file", bad.messages[0]) from None
    do_transition(sheet, Step.OBJECT, acting_user=acting_user, comment=reason)
    objection = Objection.objects.create(round=sheet.round, sheet=sheet, filed_by=acting_user, reason=reason.strip(),
                                         evidence=evidence or "")
    audit(acting_user, "objection.file", scheme=sheet.round.scheme, target=objection,
          after={"reason": objection.reason, "evidence": objection.evidence.name or None})
    return objection


@transaction.atomic
def do_answer_objection(objection: Objection, *, answer: str, acting_user) -> Objection:
    objection = Objection.objects.select_for_update().select_related("sheet__unit", "sheet__section").get(
        pk=objection.pk)
    if not can_answer_objection(acting_user, objection):
        raise NotAllowed("head_or_collector", _("Only the section's head or the collecting section answers."))
    if objection.answered_at is not None:
        raise Refused("already_answered", _("This objection is already answered."))
    if not answer.strip():
        raise Refused("comment_required", _("The answer needs text."))
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), acting_user, timezone.now()
    objection.save()
    audit(acting_user, "objection.answer", target=objection, after={"answer": objection.answer})
    users = Membership.objects.filter(role=Role.UNIT, unit=objection.sheet.unit).values_list("user_id", flat=True)
    url = reverse("kaohe:unit_result", args=[objection.round_id, objection.sheet.unit_id])
    section = objection.sheet.section.name
    transaction.on_commit(lambda: notify(users, "objection_answered", url, section=section))
    return objection
