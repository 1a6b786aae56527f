"""Who may call which endpoint, asked of ``kaohe.permissions`` (the API decides nothing on its own)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from kaohe.models import Scheme
from kaohe.permissions import works_in_bureau


class InBureau(BasePermission):
    """The bureau's own lists (units, schemes, the ledger, figures): anyone with a bureau role, as in the Desk.
    A write is left to its action, which refuses with its own code (``admin_only``, ``other_section``, …)."""

    message = _("This list is for the bureau's staff.")
    code = "bureau_only"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method not in SAFE_METHODS or works_in_bureau(request.user)


def scheme_named(code: str | None) -> Scheme:
    return get_object_or_404(Scheme, code=code or "")
