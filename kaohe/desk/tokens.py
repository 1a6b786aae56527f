"""API tokens in the Desk: a user creates, replaces and revokes their own; an administrator anyone's."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from kaohe.actions.tokens import do_create_token, do_revoke_token
from kaohe.permissions import can_manage_token, roles

from .common import attempt


def _page(request, created: Token | None = None):
    everyone = roles(request.user).admin
    tokens = Token.objects.select_related("user").order_by("user__username")
    return render(request, "kaohe/tokens.html", {
        "mine": Token.objects.filter(user=request.user).first(),
        "tokens": tokens if everyone else None, "everyone": everyone, "created": created,
    })


@login_required
def tokens(request):
    return _page(request)


def _owner(request):
    """The user named in the form (an administrator's choice), or the one asking."""
    name = (request.POST.get("user") or "").strip()
    if not name or name == request.user.get_username():
        return request.user
    owner = get_user_model().objects.filter(username=name).first()
    if owner is None or not can_manage_token(request.user, owner):
        raise PermissionDenied  # the same answer whether the login exists or not
    return owner


@login_required
@require_POST
def create_token(request):
    owner, made = _owner(request), {}
    # shown once, on this page only: the key is never put in a message, a log or the audit trail
    if attempt(request, lambda: made.update(token=do_create_token(owner, acting_user=request.user)),
               _("A new token is made. Copy it now: it is not shown again.")):
        return _page(request, created=made["token"])
    return redirect("kaohe:tokens")


@login_required
@require_POST
def revoke_token(request, user_id: int):
    owner = get_object_or_404(get_user_model(), pk=user_id)
    if not can_manage_token(request.user, owner):
        raise PermissionDenied
    attempt(request, lambda: do_revoke_token(owner, acting_user=request.user), _("The token is revoked."))
    return redirect("kaohe:tokens")
