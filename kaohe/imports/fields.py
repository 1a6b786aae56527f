"""Cell parsers: each returns a value or raises :class:`CellError` with a code and a message.

:func:`parse_decimal` is the one number parser of the system: imports and the Desk forms both call it, with
the ``max_digits``/``places`` of the database column the number goes to.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date, time
from decimal import Decimal, localcontext

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kaohe.numbers import shape


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


# Without column limits a number must fit the widest decimal column the system stores, DECIMAL(20,4).
DEFAULT_MAX_DIGITS = 20
DEFAULT_PLACES = 4
# Longer text is not read as a number at all; every double Excel can store prints in fewer characters.
NUMBER_MAX_CHARS = 400

_NUMBER = re.compile(r"(?P<mantissa>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE](?P<exponent>[+-]?\d+))?")
# An exponent beyond this is out of any column's range (and beyond what Decimal itself accepts, 10**18).
_EXPONENT_MAX = 1000
# A comma is a thousands separator only here: 1,234 or -1,234,567.5 (groups of exactly three digits).
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NOT_FINITE = {"nan", "snan", "-nan", "+nan", "-snan", "+snan", "inf", "infinity", "-inf", "-infinity",
               "+inf", "+infinity"}
# Zero-width space, non-joiner and joiner, and the byte-order mark: invisible, pasted along from web pages.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?")
# What may follow a date: a time of day, as Excel cells and ISO text give it ("2026-03-05 00:00:00").
_TIME = re.compile(r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?")


def fold(text: str) -> str:
    """Full-width digits, letters and signs (as IME input gives them) to their plain forms."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def normalise_name(text: str) -> str:
    """A name as it is stored and compared: NFKC (full-width letters and digits to plain ones), without
    zero-width characters and without surrounding space. Case is kept; :func:`name_key` ignores it."""
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).strip()


def name_key(text: str) -> str:
    """Two names with the same key are the same name: they differ only by case, width or invisible characters."""
    return normalise_name(text).casefold()


def column_limits(model, field: str) -> dict[str, int]:
    """``max_digits`` and ``places`` for :func:`parse_decimal`, read from the model's DecimalField."""
    found = model._meta.get_field(field)
    return {"max_digits": found.max_digits, "places": found.decimal_places}


def parse_decimal(text: str, *, max_digits: int | None = None, places: int | None = None) -> Decimal:
    """The number in ``text``, refused unless it fits a ``DECIMAL(max_digits, places)`` column exactly.

    Accepted: ``12``, ``-0.5``, ``+3``, ``1.5e3``, full-width digits and signs (``－１２``), thousands separators
    in the ``1,234`` / ``1,234,567.5`` pattern. Refused: NaN, Infinity, anything too large or too precise for the
    column, and any other comma (``1,5`` could be one and a half or fifteen). ``None`` limits mean the widest
    column the system stores, DECIMAL(20,4).
    """
    max_digits = DEFAULT_MAX_DIGITS if max_digits is None else max_digits
    places = DEFAULT_PLACES if places is None else places
    cleaned = text if len(text) > NUMBER_MAX_CHARS else unicodedata.normalize("NFKC", text)
    cleaned = cleaned.translate(_ZERO_WIDTH).strip().replace("\u2212", "-")
    if len(cleaned) > NUMBER_MAX_CHARS:
        raise CellError("not_a_number", _("not a number: longer than %(limit)d characters")
                        % {"limit": NUMBER_MAX_CHARS})
    if cleaned.lower() in _NOT_FINITE:
        raise CellError("not_a_number", _("not a finite number (NaN and Infinity are refused)"))
    if "," in cleaned:
        if not _THOUSANDS.fullmatch(cleaned):
            raise CellError("ambiguous_comma", _(
                "ambiguous comma: write a decimal with a point (1.5) and use commas only between groups of "
                "three digits (1,234.5)"))
        cleaned = cleaned.replace(",", "")
    number = _NUMBER.fullmatch(cleaned)
    if not number:
        # The msgid "not a number" is already the Desk's, translated; the import keeps its own wording.
        raise CellError("not_a_number", pgettext("import cell", "not a number"))
    exponent = int(number["exponent"] or 0)
    if abs(exponent) > _EXPONENT_MAX:
        # 0e99999999 is zero; anything else is too large or too precise for every column: say which.
        mantissa = Decimal(number["mantissa"])
        value = Decimal(0) if mantissa.is_zero() else Decimal((0, (1,), _EXPONENT_MAX * (1 if exponent > 0 else -1)))
    else:
        value = Decimal(cleaned)  # exact; the syntax above leaves no way to a NaN, an infinity or an exception
    whole, decimals = shape(value)
    if whole > max_digits - places:
        raise CellError("too_large", _("too large: at most %(digits)d digits before the decimal point")
                        % {"digits": max_digits - places})
    if decimals > places:
        if places == 0:
            raise CellError("too_precise", _("must be a whole number"))
        raise CellError("too_precise", _("more than %(places)d decimal places") % {"places": places})
    exponent = value.as_tuple().exponent
    if exponent > 0 or exponent < -places:
        # 1.5e3 → 1500, 0E-10 → 0.0000, 2.50000000 → 2.5000: plain digits that fit the column, exactly
        with localcontext() as context:
            context.prec = max_digits + 2
            value = value.quantize(Decimal(1).scaleb(-places) if exponent < 0 else Decimal(1))
    if value.is_zero():
        value = value.copy_abs()  # -0 → 0
    return value


def parse_date(text: str) -> date:
    """``2026-03-05``, ``2026/3/5``, ``2026.3.5``, ``2026年3月5日``, optionally followed by a time of day as
    Excel or ISO text gives it (``2026-03-05 00:00:00``, ``2026-03-05T08:30``); anything else after the date is
    refused."""
    text = normalise_name(text)
    match = _DATE.match(text)
    after = _TIME.fullmatch(text, match.end()) if match else None
    if not match or not after:
        raise CellError("not_a_date", _("not a date; write YYYY-MM-DD"))
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError("not_a_date", _("no such day")) from None
    if after.group(1) is not None:
        try:
            time(int(after.group(1)), int(after.group(2)), int(after.group(3) or 0))
        except ValueError:
            raise CellError("not_a_date", _("no such time of day")) from None
    return day


def fingerprint(kind: str, scope: str, rows: list[tuple]) -> str:
    """The same rows give the same fingerprint whatever the file's encoding or format."""
    canonical = json.dumps([kind, scope, [[str(v) for v in row] for row in rows]], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hex_fingerprint(kind: str, scope: str, digests: list[str]) -> str:
    """:func:`fingerprint` of rows of one hex digest each (which JSON writes as they are), without building
    a list per row."""
    head = json.dumps([kind, scope], ensure_ascii=False)[:-1]
    canonical = head + ', [' + ", ".join(f'["{d}"]' for d in digests) + "]]"
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
