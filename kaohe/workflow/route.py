"""The route as data, asked: which steps may this user take on this sheet or round, and may they take this one?

It performs nothing: ``kaohe.actions.transitions`` takes the step once these checks and the step's
named condition (``kaohe.services.conditions``) allow it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaohe.doctype.route_names import step_name
from kaohe.models import Approval, Round, State, Transition
from kaohe.permissions import holds
from kaohe.refusals import NotAllowed, Refused


def target_of(obj) -> str:
    return "round" if isinstance(obj, Round) else "sheet"


def state_of(obj) -> State:
    return State.objects.get(workflow__target=target_of(obj), code=obj.state)


def scope_of(obj) -> dict:
    if target_of(obj) == "round":
        return {}
    return {"section_id": obj.section_id, "unit_id": obj.unit_id}


def available(obj, user) -> list[Transition]:
    """The transitions ``user`` may try on ``obj`` now (conditions are checked when they act).

    An N-of-M step this user has already approved here is not offered again: approving twice counts once.
    """
    approved = set(Approval.objects.filter(user=user, **{target_of(obj): obj}).values_list("transition_id", flat=True))
    return [
        t for t in Transition.objects.filter(workflow__target=target_of(obj), source__code=obj.state)
        .select_related("target")
        if holds(user, t.role, **scope_of(obj)) and t.pk not in approved
    ]


def check_transition(obj, action: str, user, comment: str, *, on_behalf_of_id: int | None = None) -> Transition:
    """Every reason of the route itself to refuse, before anything is written; returns the transition."""
    transition = (
        Transition.objects.filter(workflow__target=target_of(obj), source__code=obj.state, action=action)
        .select_related("source", "target").first()
    )
    if transition is None:
        named = Transition.objects.filter(workflow__target=target_of(obj), action=action).values_list(
            "label", flat=True).first()
        raise Refused("not_from_this_state", _("“%(action)s” is not possible while this is “%(state)s”."),
                      action=step_name(action, named), state=state_of(obj).name)
    if not holds(user, transition.role, **scope_of(obj)):
        raise NotAllowed("role_required", _("“%(action)s” needs the role “%(role)s”."),
                         action=transition.name, role=transition.get_role_display())
    if transition.comment_required and not comment.strip():
        raise Refused("comment_required", _("This step needs a comment."))
    submitter = getattr(obj, "submitted_by_id", None)
    if transition.forbid_submitter and submitter is not None and submitter in {user.pk, on_behalf_of_id}:
        raise Refused("submitter_cannot_sign", _("The user who submitted a sheet cannot sign it."))
    return transition
