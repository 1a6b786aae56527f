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


def shape(value: Decimal) -> tuple[int, int]:
    """(digits before the point, decimal places) that a finite ``value`` needs, trailing zeros aside.

    Read from the digit tuple, so ``Decimal('1e999999999')`` costs nothing: no arithmetic, no huge string.
    ``Decimal('1234.50')`` → (4, 1); ``Decimal('0.001')`` → (0, 3); ``Decimal('1E+3')`` → (4, 0).
    """
    _sign, digits, exponent = value.as_tuple()
    significant = len(digits) - next((i for i, d in enumerate(digits) if d), len(digits))
    if not significant:
        return 0, 0
    trailing = next(i for i, d in enumerate(reversed(digits)) if d)
    significant -= trailing
    exponent += trailing
    return max(0, significant + exponent), max(0, -exponent)
