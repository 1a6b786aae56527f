"""API tokens (``Authorization: Token …``): one per user, created (or replaced) and revoked by the user or an
administrator. The key is shown once, on the page that created it; the audit trail names the owner, never the
key."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from kaohe.permissions import can_manage_token
from kaohe.refusals import NotAllowed, Refused

from .audit import audit


def _check(owner, acting_user) -> None:
    if not can_manage_token(acting_user, owner):
        raise NotAllowed("own_token_only", _("You may manage only your own API token."))
    if not owner.is_active:
        raise Refused("inactive_user", _("%(who)s cannot log in, so gets no API token."), who=owner.get_username())


@transaction.atomic
def do_create_token(owner, *, acting_user) -> Token:
    """A new token for ``owner``; an earlier one stops working at once."""
    _check(owner, acting_user)
    replaced = Token.objects.filter(user=owner).delete()[0] > 0
    token = Token.objects.create(user=owner)
    audit(acting_user, "token.create", target=owner.get_username(), after={"replaced": replaced})
    return token


@transaction.atomic
def do_revoke_token(owner, *, acting_user) -> None:
    if not can_manage_token(acting_user, owner):
        raise NotAllowed("own_token_only", _("You may manage only your own API token."))
    if not Token.objects.filter(user=owner).delete()[0]:
        raise Refused("no_token", _("%(who)s has no API token."), who=owner.get_username())
    audit(acting_user, "token.revoke", target=owner.get_username())
