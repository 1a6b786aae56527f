"""The audit row every action writes in its own transaction: who, which action, on what, before and after."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from kaohe.models import AuditEvent
from kaohe.numbers import plain


def jsonsafe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonsafe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonsafe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def fields_of(obj: models.Model, names=None) -> dict:
    """A record's concrete field values (foreign keys as ids), for before/after."""
    found = {}
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        found[field.attname] = jsonsafe(getattr(obj, field.attname))
    return found


def audit(acting_user, action: str, *, scheme=None, target: Any = "", before=None, after=None) -> AuditEvent:
    return AuditEvent.objects.create(
        user=acting_user if getattr(acting_user, "pk", None) else None, action=action,
        scheme=scheme, target=str(target)[:200], before=jsonsafe(before), after=jsonsafe(after),
    )
