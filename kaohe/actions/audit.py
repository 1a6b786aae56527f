"""The audit row every action writes in its own transaction: who, which action, on what, before and after."""

from __future__ import annotations

import hashlib
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


def fingerprint(value: str) -> str:
    """A credential as the audit shows it: whether it changed can be seen, the value cannot be read back."""
    return f"sha256:{hashlib.sha256(value.encode()).hexdigest()[:12]}" if value else ""


def fields_of(obj: models.Model, names=None) -> dict:
    """A record's concrete field values (foreign keys as ids), for before/after; the fields a model lists in
    ``audit_masked`` (secrets, addresses that carry a token) only as fingerprints."""
    masked = getattr(obj, "audit_masked", ())
    found = {}
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        value = getattr(obj, field.attname)
        found[field.attname] = fingerprint(str(value or "")) if field.name in masked else jsonsafe(value)
    return found


def audit(acting_user, action: str, *, scheme=None, target: Any = "", before=None, after=None) -> AuditEvent:
    return AuditEvent.objects.create(
        user=acting_user if getattr(acting_user, "pk", None) else None, action=action,
        scheme=scheme, target=str(target)[:200], before=jsonsafe(before), after=jsonsafe(after),
    )
