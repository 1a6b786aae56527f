"""Who may call which endpoint, asked of ``kaohe.permissions`` (the API decides nothing on its own)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from kaohe.models import Scheme
from kaohe.permissions import works_in_bureau


class InBureau(BasePermission):
    """The bureau's own lists (units, schemes, the ledger, figures): anyone with a bureau role, as in the Desk."""

    message = _("This list is for the bureau's staff.")
    code = "bureau_only"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and works_in_bureau(request.user))


def scheme_named(code: str | None) -> Scheme:
    return get_object_or_404(Scheme, code=code or "")
