from decimal import Decimal

from django import template

from kaohe.numbers import plain as plain_text

register = template.Library()


@register.filter
def plain(value):
    """A score as people write it: 2.5, not 2.5000; anything else unchanged."""
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


@register.filter
def get(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None

