"""Taking a step of the route: check, then write the new state, the signature and the log, then notify on commit."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kaohe.models import Approval, Signature, TransitionLog
from kaohe.permissions import roles
from kaohe.refusals import Refused
from kaohe.services.conditions import condition_holds, refusal_for
from kaohe.services.signatures import broken_signatures, content_for
from kaohe.workflow.route import check_transition, target_of
from kaohe.workflow.signing import canonical, digest
from kaohe.workflow.states import Step

from .audit import audit
from .notify import notify_transition

# Steps that rely on the signatures before them: refused while any of those no longer verifies.
RELIES_ON_SIGNATURES = {Step.COLLECT, Step.RECOLLECT, Step.DECIDE, Step.PUBLISH}


def check_signatures(round_) -> None:
    broken = broken_signatures(round_, exact=True)
    if broken:
        raise Refused("signature_broken", _("A signature no longer matches what it covers; return that sheet and "
                                            "have it signed again: %(which)s"),
                      which="; ".join(str(b) for b in broken))


@transaction.atomic
def do_transition(obj, action: str, *, acting_user, comment: str = "") -> str:
    """Apply ``action``; returns the new state, or the old one while an N-of-M approval is short."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    target = target_of(obj)
    on_behalf_of = roles(acting_user).delegated_from.get(obj.section_id) if target == "sheet" else None
    transition = check_transition(obj, action, acting_user, comment, on_behalf_of_id=on_behalf_of)
    if transition.role != "head":
        on_behalf_of = None
    if transition.condition and not condition_holds(transition.condition, obj):
        raise Refused(transition.condition, refusal_for(transition.condition))
    if target == "round" and action in RELIES_ON_SIGNATURES:
        check_signatures(obj)
    link = {target: obj}

    if transition.signs:
        content = canonical(content_for(obj, action))
        Signature.objects.create(user=acting_user, on_behalf_of_id=on_behalf_of, role=transition.role,
                                 action=action, digest=digest(content), content=content, **link)

    if transition.approvals_required > 1:
        # The record is locked above, so this check is exact; the unique index stays as the last word.
        if Approval.objects.filter(transition=transition, user=acting_user, **link).exists():
            raise Refused("already_approved", _("You have already approved this."))
        try:
            with transaction.atomic():
                Approval.objects.create(transition=transition, user=acting_user, **link)
        except IntegrityError:
            raise Refused("already_approved", _("You have already approved this.")) from None
        count = Approval.objects.filter(transition=transition, **link).count()
        if count < transition.approvals_required:
            TransitionLog.objects.create(action=f"{action}:approve", source=obj.state, target=obj.state,
                                         user=acting_user, role=transition.role, comment=comment, **link)
            audit(acting_user, f"{target}.{action}:approve", target=obj, after={"approvals": count})
            transaction.on_commit(lambda: notify_transition(obj, f"{action}:approve", acting_user))
            return obj.state

    source = obj.state
    obj.state = transition.target.code
    obj.version += 1
    if action == Step.SUBMIT:
        obj.submitted_by = acting_user
    obj._change_reason = f"{action}: {comment}" if comment else action
    obj.save()
    Approval.objects.filter(**link).delete()
    TransitionLog.objects.create(action=action, source=source, target=obj.state, user=acting_user,
                                 on_behalf_of_id=on_behalf_of, role=transition.role, comment=comment, **link)
    audit(acting_user, f"{target}.{action}", target=obj, before={"state": source},
          after={"state": obj.state, "comment": comment})
    transaction.on_commit(lambda: notify_transition(obj, action, acting_user))
    return obj.state
