"""Reading the filters of a list from the query string; a bad value is a 400 that names the parameter."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError

from kaohe.scoring import AsOf

MONTH_MESSAGE = gettext_lazy("Give a month as YYYY-MM.")


def text(request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value.strip() if value and value.strip() else None


def day(request, name: str) -> date | None:
    value = text(request, name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}, code="bad_date") from None


def number(request, name: str) -> int | None:
    value = text(request, name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) < 12):
        raise ValidationError({name: [_("Give a whole number.")]}, code="not_a_number")
    return int(value)


def month(request, name: str) -> AsOf | None:
    value = text(request, name)
    if value is None:
        return None
    try:
        return AsOf.parse(value)
    except ValueError:
        raise ValidationError({name: [str(MONTH_MESSAGE)]}, code="bad_month") from None
