"""Cell parsers: each returns a value or raises :class:`CellError` with a code and a message."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def fold(text: str) -> str:
    """Full-width digits, letters and signs (as IME input gives them) to their plain forms."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def parse_decimal(text: str) -> Decimal:
    cleaned = fold(text).replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError("not_a_number", "not a number") from None
    if not value.is_finite():
        raise CellError("not_a_number", "not a finite number")
    if value != value.quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP"):
        raise CellError("too_precise", "more than 4 decimal places")
    return value


def parse_date(text: str) -> date:
    text = fold(text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CellError("not_a_date", "no such day") from None
    match = _DATE.match(text.split("T")[0].split(" ")[0])
    if not match:
        raise CellError("not_a_date", "not a date; write YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError("not_a_date", "no such day") from None


def fingerprint(kind: str, scope: str, rows: list[tuple]) -> str:
    """The same rows give the same fingerprint whatever the file's encoding or format."""
    canonical = json.dumps([kind, scope, [[str(v) for v in row] for row in rows]], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
