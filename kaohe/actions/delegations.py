"""A section head lets a colleague of the same section sign for it between two dates; both names are recorded."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.models import Delegation
from kaohe.permissions import delegation_refusal, roles
from kaohe.refusals import NotAllowed

from .audit import audit


@transaction.atomic
def do_delegate_signing(*, section, delegate, starts: date | None, ends: date | None, acting_user) -> Delegation:
    refusal = delegation_refusal(acting_user, section, delegate, starts, ends)
    if refusal is not None:
        raise refusal
    made = Delegation.objects.create(head=acting_user, delegate=delegate, section=section, starts=starts, ends=ends)
    audit(acting_user, "delegation.add", target=made,
          after={"section": section.code, "delegate": delegate.get_username(), "starts": starts, "ends": ends})
    return made


@transaction.atomic
def do_end_delegation(delegation: Delegation, *, acting_user, today: date) -> Delegation:
    """The head (or an administrator) ends a delegation today; what the delegate signed stays signed."""
    r = roles(acting_user)
    if not (r.admin or delegation.head_id == acting_user.pk):
        raise NotAllowed("not_your_delegation", _("Only the head who gave a delegation, or an administrator, ends it."))
    before = {"ends": delegation.ends}
    delegation.ends = min(delegation.ends, today)
    delegation.save(update_fields=["ends"])
    audit(acting_user, "delegation.end", target=delegation, before=before, after={"ends": delegation.ends})
    return delegation
