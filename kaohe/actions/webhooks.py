"""Notifications also reach DingTalk or WeCom group robots, after commit, without ever holding up the action.

A notification writes one delivery row per robot in the same transaction (so nothing is sent for a step
that was rolled back, and nothing is lost if sending fails). After commit each delivery is sent by an RQ
job when REDIS_URL is set, retried with back-off, or sent at once otherwise. Every attempt's outcome is
kept on the row; the admin lists failures and can send one again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

import django_rq
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rq import Retry

from kaohe.models import Membership, WebhookDelivery, WebhookEndpoint
from kaohe.permissions import can_edit_scheme
from kaohe.refusals import NotAllowed

from .audit import audit

log = logging.getLogger(__name__)
TIMEOUT = 5  # seconds a robot may take to answer
BACKOFF = [10, 60, 300, 1800]  # seconds between attempts: the robot's service may be down for a while
MAX_ATTEMPTS = len(BACKOFF) + 1


class DeliveryFailed(Exception):
    """The robot did not take the message; the job is retried until MAX_ATTEMPTS."""


def dingtalk_signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's 加签: HMAC-SHA256 over "timestamp\\nsecret" keyed with the secret, base64, URL-encoded."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def payload(text: str, link: str) -> dict:
    """Both robots take the same plain text message."""
    content = f"{text}\n{link}" if link else text
    return {"msgtype": "text", "text": {"content": content}}


def endpoints_for(user_ids) -> list[WebhookEndpoint]:
    sections = Membership.objects.filter(user_id__in=user_ids, section__isnull=False).values("section_id")
    return list(WebhookEndpoint.objects.filter(enabled=True).filter(
        Q(user_id__in=user_ids) | Q(section_id__in=sections)).order_by("pk"))


def queue_deliveries(user_ids, text: str, link: str = "") -> list[int]:
    """Called inside the notifying transaction: one delivery per robot concerned, sent after commit."""
    user_ids = list(user_ids)
    if not user_ids:
        return []
    endpoints = endpoints_for(user_ids)
    if not endpoints:
        return []
    absolute = f"{settings.KAOHE_SITE_URL.rstrip('/')}{link}" if link and settings.KAOHE_SITE_URL else link
    made = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=e, text=text, link=absolute) for e in endpoints])
    ids = [d.pk for d in made]  # bulk_create returns ids on SQLite, MariaDB 10.5+ and PostgreSQL
    transaction.on_commit(lambda: dispatch(ids))
    return ids


def dispatch(ids) -> None:
    """Hand each delivery to the queue, or send it now when there is no queue. Never raises."""
    for pk in ids:
        try:
            if settings.REDIS_URL:
                django_rq.get_queue("default").enqueue(send_delivery, pk, retry=Retry(max=len(BACKOFF),
                                                                                        interval=BACKOFF))
            else:
                send_now(pk)
        except Exception:  # a robot, or Redis, failing must never reach the person who took the step
            log.exception("could not hand robot message %s on", pk)


def send_now(pk: int) -> bool:
    try:
        send_delivery(pk)
    except DeliveryFailed:
        return False
    return True


def _post(endpoint: WebhookEndpoint, body: dict) -> None:
    url = endpoint.url
    if endpoint.kind == WebhookEndpoint.DINGTALK and endpoint.secret:
        url = dingtalk_signed(url, endpoint.secret)
    request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryFailed(str(getattr(exc, "reason", exc))[:300]) from None
    if answer.get("errcode", 0) != 0:  # both robots answer 200 with an error code when they refuse
        raise DeliveryFailed(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300])


def send_delivery(pk: int) -> None:
    """Send one delivery (the RQ job). Raises DeliveryFailed so that RQ retries it with back-off."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").filter(pk=pk).first()
        if delivery is None or delivery.state == WebhookDelivery.SENT:
            return  # sent already (a retried job after success), or deleted with its robot
        delivery.attempts += 1
        try:
            _post(delivery.endpoint, payload(delivery.text, delivery.link))
        except DeliveryFailed as failed:
            delivery.last_error = str(failed)
            delivery.state = WebhookDelivery.FAILED if delivery.attempts >= MAX_ATTEMPTS else WebhookDelivery.PENDING
            delivery.save(update_fields=["attempts", "last_error", "state"])
            error = failed
        else:
            delivery.state, delivery.sent_at, delivery.last_error = WebhookDelivery.SENT, timezone.now(), ""
            delivery.save(update_fields=["attempts", "last_error", "state", "sent_at"])
            return
    raise error


@transaction.atomic
def do_retry_delivery(delivery: WebhookDelivery, *, acting_user) -> None:
    """The administrator sends a failed message again (from the admin's list of robot messages)."""
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator changes this."))
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.state == WebhookDelivery.SENT:
        return
    delivery.state, delivery.attempts = WebhookDelivery.PENDING, 0
    delivery.save(update_fields=["state", "attempts"])
    audit(acting_user, "webhook.retry", target=delivery, before={"last_error": delivery.last_error})
    transaction.on_commit(lambda: dispatch([delivery.pk]))
