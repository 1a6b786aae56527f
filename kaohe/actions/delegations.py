"""A section head lets another user sign for the section between two dates."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaohe.models import Delegation
from kaohe.permissions import roles
from kaohe.workflow.route import RouteRefused


@transaction.atomic
def do_delegate_signing(*, section, delegate, starts: date, ends: date, acting_user) -> Delegation:
    if section.pk not in roles(acting_user).head_sections or section.pk in roles(acting_user).delegated_from:
        raise PermissionDenied("only the section's own head delegates its signing")
    if delegate.pk == acting_user.pk:
        raise RouteRefused("self_delegation", "delegate to someone else")
    if ends < starts:
        raise RouteRefused("bad_dates", "the end is before the start")
    return Delegation.objects.create(head=acting_user, delegate=delegate, section=section, starts=starts, ends=ends)
