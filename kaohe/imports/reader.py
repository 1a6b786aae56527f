"""Reads CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel/WPS saves it) and .xlsx.

Every cell comes back as stripped text, whichever program wrote the file. Notes keep exactly what
was typed; the validators fold full-width digits and letters in codes, numbers and dates.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .errors import ImportRejected, RowError


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, column → text)


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel stores numbers as doubles; repr gives the shortest text that reads back the same.
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(1, "", "", "encoding", "the file is neither UTF-8 nor GB18030 text")])


def _csv_lines(data: bytes) -> list[tuple[int, list[str]]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    return [(reader.line_num, [c.strip() for c in row]) for row in reader]


def _xlsx_lines(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problem = RowError(1, "", "", "bad_xlsx", f"not a readable .xlsx file ({exc.__class__.__name__})")
        raise ImportRejected([problem]) from exc
    sheet = book.worksheets[0]
    lines = [(n, [_clean(c) for c in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return lines


def read_table(data: bytes, filename: str, required: list[str], optional: list[str] = ()) -> Table:
    """Parse ``data``; refuse a header with a duplicate, missing or unknown column."""
    lines = _xlsx_lines(data) if Path(filename).suffix.lower() in {".xlsx", ".xlsm"} else _csv_lines(data)
    lines = [(n, cells) for n, cells in lines if any(cells)]
    if not lines:
        raise ImportRejected([RowError(1, "", "", "empty", "the file has no header line")])
    header_line, header = lines[0]
    header = [h.lower() for h in header]
    while header and header[-1] == "":
        header.pop()
    errors = []
    seen = set()
    for h in header:
        if h in seen:
            errors.append(RowError(header_line, h, h, "duplicate_header", "this column appears twice"))
        seen.add(h)
    known = set(required) | set(optional)
    for h in header:
        if h not in known:
            errors.append(RowError(header_line, h, h, "unknown_column",
                                   f"unknown column; expected {', '.join(required + list(optional))}"))
    for name in required:
        if name not in seen:
            errors.append(RowError(header_line, name, "", "missing_column", "this column is required"))
    if errors:
        raise ImportRejected(errors)
    rows = []
    for number, cells in lines[1:]:
        if len(cells) > len(header) and any(cells[len(header):]):
            errors.append(RowError(number, "", ",".join(cells[len(header):]), "extra_cells",
                                   "more cells than the header has columns"))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((number, dict(zip(header, cells, strict=False))))
    if errors:
        raise ImportRejected(errors)
    return Table(header, rows)
