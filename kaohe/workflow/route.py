"""Walks a sheet or a round along its workflow: check, then write, then audit, then notify on commit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from kaohe.permissions import holds, roles

from .conditions import CONDITIONS
from .models import Approval, Signature, State, Transition, TransitionLog
from .signing import canonical, content_for, digest


class RouteRefused(Exception):
    """The action is not possible now; nothing was changed. ``code`` is stable for tests and the API."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def _target(obj) -> str:
    from kaohe.models import Round

    return "round" if isinstance(obj, Round) else "sheet"


def state_of(obj) -> State:
    return State.objects.get(workflow__target=_target(obj), code=obj.state)


def _scope(obj) -> dict:
    if _target(obj) == "round":
        return {}
    return {"section_id": obj.section_id, "unit_id": obj.unit_id}


def available(obj, user) -> list[Transition]:
    """The transitions ``user`` may try on ``obj`` now (conditions are checked when they act)."""
    return [
        t for t in Transition.objects.filter(workflow__target=_target(obj), source__code=obj.state)
        .select_related("target")
        if holds(user, t.role, **_scope(obj))
    ]


def check_transition(obj, action: str, user, comment: str) -> Transition:
    """Every reason to refuse, before anything is written."""
    transition = (
        Transition.objects.filter(workflow__target=_target(obj), source__code=obj.state, action=action)
        .select_related("source", "target").first()
    )
    if transition is None:
        raise RouteRefused("not_from_this_state", f"'{action}' is not possible from '{obj.state}'")
    if not holds(user, transition.role, **_scope(obj)):
        raise PermissionDenied(f"'{action}' needs the role '{transition.role}'")
    if transition.comment_required and not comment.strip():
        raise RouteRefused("comment_required", "this action needs a comment")
    if transition.condition:
        condition = CONDITIONS[transition.condition]
        if not condition.check(obj):
            raise RouteRefused(transition.condition, condition.refusal)
    if transition.forbid_submitter and getattr(obj, "submitted_by_id", None) == user.pk:
        raise RouteRefused("submitter_cannot_sign", "the user who submitted a sheet cannot sign it")
    return transition


@transaction.atomic
def do_transition(obj, action: str, *, acting_user, comment: str = "") -> str:
    """Apply ``action``; returns the new state, or the old one while an N-of-M approval is short."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    transition = check_transition(obj, action, acting_user, comment)
    link = {_target(obj): obj}
    on_behalf_of = None
    if transition.role == "head":
        on_behalf_of = roles(acting_user).delegated_from.get(obj.section_id)
        if on_behalf_of is not None and obj.submitted_by_id == on_behalf_of:
            raise RouteRefused("submitter_cannot_sign", "the user who submitted a sheet cannot sign it")

    if transition.signs:
        content = canonical(content_for(obj))
        Signature.objects.create(user=acting_user, on_behalf_of_id=on_behalf_of, role=transition.role,
                                 digest=digest(content), content=content, **link)

    if transition.approvals_required > 1:
        try:
            with transaction.atomic():
                Approval.objects.create(transition=transition, user=acting_user, **link)
        except IntegrityError:
            raise RouteRefused("already_approved", "you have already approved this") from None
        count = Approval.objects.filter(transition=transition, **link).count()
        if count < transition.approvals_required:
            TransitionLog.objects.create(action=f"{action}:approve", source=obj.state, target=obj.state,
                                         user=acting_user, role=transition.role, comment=comment, **link)
            _notify_on_commit(obj, f"{action}:approve", acting_user)
            return obj.state

    source = obj.state
    obj.state = transition.target.code
    obj.version += 1
    if action == "submit":
        obj.submitted_by = acting_user
    obj._change_reason = f"{action}: {comment}" if comment else action
    obj.save()
    Approval.objects.filter(**link).delete()
    TransitionLog.objects.create(action=action, source=source, target=obj.state, user=acting_user,
                                 on_behalf_of_id=on_behalf_of, role=transition.role, comment=comment, **link)
    _notify_on_commit(obj, action, acting_user)
    return obj.state


def _notify_on_commit(obj, action: str, acting_user) -> None:
    from kaohe.actions.notify import notify_transition

    transaction.on_commit(lambda: notify_transition(obj, action, acting_user))
