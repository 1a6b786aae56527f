"""Inbox housekeeping: a user marks all of their own notifications read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .audit import audit


@transaction.atomic
def do_mark_all_read(*, acting_user) -> int:
    """Marks every unread notification of ``acting_user`` read (only theirs); returns how many."""
    count = acting_user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit(acting_user, "notifications.read_all", target=acting_user.get_username(), after={"marked": count})
    return count
