"""In-app notifications and email on every transition (Django's email backend; console by default)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kaohe.doctype.notices import render as render_notice
from kaohe.doctype.people import Role
from kaohe.models import Delegation, Membership, Notification, Round
from kaohe.refusals import NotAllowed

from .webhooks import queue_deliveries

log = logging.getLogger(__name__)

@transaction.atomic
def do_mark_read(note: Notification, *, acting_user) -> Notification:
    """A user marks one of their own notifications read (nobody else's)."""
    if note.user_id != acting_user.pk:
        raise NotAllowed("not_your_notification", _("This notification is not yours."))
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


def _users_with(role: str, **scope):
    users = set(Membership.objects.filter(role=role, **scope).values_list("user_id", flat=True))
    if role == Role.HEAD and "section_id" in scope:
        users |= set(Delegation.objects.filter(section_id=scope["section_id"]).values_list("delegate_id", flat=True))
    return users


def recipients(obj, action: str) -> tuple[set[int], str]:
    if isinstance(obj, Round):
        url = reverse("kaohe:round", args=[obj.pk])
        if action in {"collect", "recollect", "decide:approve"}:
            return _users_with(Role.MEETING), url
        if action in {"decide", "reopen"}:
            return _users_with(Role.COLLECTOR) | _users_with(Role.ADMIN), url
        if action == "publish":
            units = set(Membership.objects.filter(role=Role.UNIT).values_list("user_id", flat=True))
            bureau = set(Membership.objects.exclude(role=Role.UNIT).values_list("user_id", flat=True))
            return units | bureau, reverse("kaohe:home")
        return _users_with(Role.COLLECTOR), url
    url = reverse("kaohe:sheet", args=[obj.pk])
    section = {"section_id": obj.section_id}
    if action == "submit":
        return _users_with(Role.HEAD, **section), url
    if action == "sign":
        return _users_with(Role.COLLECTOR), url
    if action in {"return", "send_back"}:
        return _users_with(Role.STAFF, **section), url
    if action == "object":
        return _users_with(Role.HEAD, **section) | _users_with(Role.STAFF, **section) | _users_with(
            Role.COLLECTOR), url
    return set(), url


def notify_transition(obj, action: str, acting_user) -> None:
    users, url = recipients(obj, action)
    users.discard(acting_user.pk)
    notify(users, action, url,
           round=getattr(obj, "name", None) or getattr(getattr(obj, "round", None), "name", ""),
           section=getattr(getattr(obj, "section", None), "name", ""),
           unit=getattr(getattr(obj, "unit", None), "name", ""))


def notify(user_ids, key: str, url: str = "", **params) -> None:
    """Store the notice as ``key`` and ``params`` (names, as text) and mail each recipient in their language."""
    user_ids = sorted(set(user_ids))
    params = {name: str(value) for name, value in params.items()}
    Notification.objects.bulk_create([Notification(user_id=u, key=key, params=params, url=url) for u in user_ids])
    with translation.override(settings.LANGUAGE_CODE):  # a group robot speaks the site's language
        queue_deliveries(user_ids, render_notice(key, params), url)
    recipients_ = (get_user_model().objects.filter(pk__in=user_ids).exclude(email="")
                   .select_related("profile").order_by("pk"))
    for user in recipients_:
        language = getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            text = render_notice(key, params)
            subject = _("[Assessment] %(text)s") % {"text": text}
        try:
            send_mail(subject, f"{text}\n{url}", settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
        except OSError:
            # Mail is a courtesy: the inbox already holds the notice, so a mail outage must not undo the step.
            log.exception("could not send notification mail")
