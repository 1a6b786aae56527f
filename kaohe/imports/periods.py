"""Rating periods: ``2026`` (annual), ``2026-H1`` (half-yearly), ``2026-Q2`` (quarterly), ``2026-05``
or a date (random spot checks). A source accepts the periods of its calendar."""

from __future__ import annotations

import calendar
import re
from datetime import date

from .fields import CellError, fold

_PATTERNS = {
    "annual": re.compile(r"^(\d{4})$"),
    "half_yearly": re.compile(r"^(\d{4})-H([12])$"),
    "quarterly": re.compile(r"^(\d{4})-Q([1-4])$"),
    "random": re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$"),
}
_EXAMPLES = {"annual": "2026", "half_yearly": "2026-H1", "quarterly": "2026-Q2", "random": "2026-05 or 2026-05-17"}


def parse_period(text: str, calendar_code: str, year: int) -> tuple[str, date]:
    """The normalised period and its last day; refuses a period outside ``year`` or the source's calendar."""
    text = fold(text).upper()
    match = _PATTERNS[calendar_code].match(text)
    if not match:
        raise CellError("bad_period", f"this source is {calendar_code.replace('_', '-')}: write e.g. "
                                      f"{_EXAMPLES[calendar_code]}")
    if int(match.group(1)) != year:
        raise CellError("period_outside_year", f"the period must be in the scheme's year {year}")
    if calendar_code == "annual":
        return text, date(year, 12, 31)
    if calendar_code == "half_yearly":
        return text, date(year, 6, 30) if match.group(2) == "1" else date(year, 12, 31)
    if calendar_code == "quarterly":
        month = int(match.group(2)) * 3
        return text, date(year, month, calendar.monthrange(year, month)[1])
    month, day = match.group(2), match.group(3)
    try:
        if month is None:
            return text, date(year, 12, 31)
        last = calendar.monthrange(year, int(month))[1]
        return text, date(year, int(month), int(day) if day else last)
    except ValueError:
        raise CellError("bad_period", "no such month or day") from None
