"""Writes to the ledger. Rows are never changed or deleted: a correction reverses a row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kaohe.models import LedgerEntry


class AlreadyReversed(ValidationError):
    pass


@transaction.atomic
def do_reverse_entry(entry: LedgerEntry, *, reason: str, acting_user) -> LedgerEntry:
    """Record the row that cancels ``entry``; both stay in the ledger for the record."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if not reason.strip():
        raise ValidationError("a reversal needs a reason")
    if entry.reverses_id is not None:
        raise ValidationError("a reversal cannot itself be reversed; record the row again instead")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise AlreadyReversed("this row is already reversed")
    return LedgerEntry.objects.create(
        scheme=entry.scheme,
        unit=entry.unit,
        rule=entry.rule,
        quantity=-entry.quantity,
        points=-entry.points if entry.points is not None else None,
        date=entry.date,
        note=reason.strip(),
        reverses=entry,
        created_by=acting_user,
    )
