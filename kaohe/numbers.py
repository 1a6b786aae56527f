"""Decimals for people and for JSON: exact text, no exponent, no float on the way."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal | None) -> str:
    """Decimal('1E+2') → '100', Decimal('95.50') → '95.5'."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def json_number(value: Decimal) -> int | float:
    """A JSON number with the same digits: scores have far fewer than float's 15 significant digits."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return int(normal)
    return float(format(normal, "f"))
