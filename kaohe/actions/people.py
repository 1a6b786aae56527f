"""Logins and the roles they hold (who may do what is data: memberships)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.models import Membership
from kaohe.permissions import can_edit_scheme
from kaohe.refusals import NotAllowed

from .audit import audit


def _check_admin(acting_user) -> None:
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator manages logins and roles."))


@transaction.atomic
def do_create_login(username: str, *, password: str, display_name: str = "", administrator: bool = False,
                    acting_user=None):
    """A login (or the existing one of that name); the password is set only for a new login."""
    _check_admin(acting_user)
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is None:
        user = users.create_user(username, f"{username}@example.invalid", password, first_name=display_name,
                                 is_staff=administrator, is_superuser=administrator)
        audit(acting_user, "login.add", target=username, after={"name": display_name, "admin": administrator})
    return user


@transaction.atomic
def do_grant_role(user, role: str, *, section=None, unit=None, acting_user=None) -> Membership:
    _check_admin(acting_user)
    membership, made = Membership.objects.get_or_create(user=user, role=role, section=section, unit=unit)
    if made:
        audit(acting_user, "role.grant", target=membership,
              after={"user": user.get_username(), "role": role, "section": section, "unit": unit})
    return membership


@transaction.atomic
def do_set_password_if_unset(user, password: str, *, acting_user=None) -> None:
    _check_admin(acting_user)
    if not user.has_usable_password():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit(acting_user, "login.password", target=user.get_username())
