"""What every Desk page shares: fetching an object the user may see, and turning refusals into messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kaohe.refusals import NotAllowed, Refused


def visible(model, predicate, user, **lookup):
    """The object, or 403 when it exists but is not the user's to see."""
    obj = get_object_or_404(model, **lookup)
    if not predicate(user, obj):
        raise PermissionDenied
    return obj


def posted_int(request, name: str) -> int | None:
    """A whole number from the form, or None when it is missing or not a number."""
    text = (request.POST.get(name) or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def attempt(request, action, success: str) -> bool:
    """Run an action; a refusal becomes one clear message and changes nothing."""
    try:
        action()
    except NotAllowed:
        raise  # a role refusal is a 403 page that says why
    except Refused as refused:
        messages.error(request, str(refused))
        return False
    messages.success(request, success)
    return True

