"""Reads CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel/WPS saves it) and .xlsx.

Every cell comes back as stripped text, whichever program wrote the file. Notes keep exactly what
was typed; the validators fold full-width digits and letters in codes, numbers and dates.

A file is refused, never half read: one beyond the limits below, a CSV with a NUL byte or a quote that is
never closed, an .xlsx whose zip directory promises more than the limits, or a formula cell without the
result Excel saves along with it.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import ImportRejected, RowError
from .fields import normalise_name

# Limits on one import file. A year of a county's rows is far below each of them; a file beyond one is refused
# before it can take the server's memory or time.
MAX_FILE_BYTES = 20 * 1024 * 1024  # the file as uploaded, CSV or .xlsx
MAX_ROWS = 200_000  # data rows (the header aside); reading stops at the first row beyond
MAX_COLUMNS = 100  # a cell with a value beyond this column refuses the file (every importer has under 10)
MAX_CELL_PROBLEMS = 100  # reading stops after this many unreadable cells (formulas without a result)
# An .xlsx is a zip. Its directory is checked before anything is decompressed; Python's zipfile never reads
# a member past its declared size (a member that holds more fails its CRC check), so the directory cannot lie
# its way past these limits.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all members together, decompressed
MAX_RATIO = 100  # decompressed : compressed size of one member; real sheets compress 5:1 to 30:1
RATIO_FLOOR_BYTES = 1024 * 1024  # members smaller than this decompressed are not ratio-checked (tiny XML parts)
MAX_MEMBERS = 10_000  # files in the zip; a workbook has a few dozen, a few hundred with pictures

_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends csv counts (io.StringIO with newline="")
_BYTE_BREAK = re.compile(rb"\r\n|\r|\n")
# A quoted CSV field, "" inside being one quote; possessive, so an unclosed quote fails in linear time.
_QUOTED = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')
_UNQUOTED = re.compile(r"[^,\r\n]*+")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, column → text)


@dataclass(frozen=True)
class _CellProblem:
    """A cell that cannot be read; its column is named once the header is known."""

    line: int
    index: int  # 0-based position in the row
    value: str
    code: str
    message: str


def _refuse(line: int, value: str, code: str, message: str) -> ImportRejected:
    return ImportRejected([RowError(line, "", value, code, message)])


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
    raise _refuse(1, "", "encoding", _("the file is neither UTF-8 nor GB18030 text"))


def _too_many_rows(line: int) -> ImportRejected:
    return _refuse(line, "", "too_many_rows", _("more than %(limit)s rows: split the file (at most %(limit)s rows "
                                                "each)") % {"limit": f"{MAX_ROWS:,}"})


def _line_start(text: str, line: int) -> int:
    """The offset where ``line`` (1-based, as csv counts) begins."""
    if line <= 1:
        return 0
    for count, found in enumerate(_BREAK.finditer(text), start=2):
        if count == line:
            return found.end()
    return len(text)


def _unclosed_quote(text: str, line: int) -> _CellProblem | None:
    """The quote that opens a field of the record starting at ``line`` and is never closed, if there is one.

    Reads fields the way csv does: a quote opens a field only as its first character; after the closing
    quote the field runs on to the next comma or line end.
    """
    pos, index = _line_start(text, line), 0
    while pos < len(text):
        if text[pos] == '"':
            closed = _QUOTED.match(text, pos)
            if closed is None:
                opened = line + len(_BREAK.findall(text, _line_start(text, line), pos))
                snippet = text[pos:pos + 40].split("\n")[0].split("\r")[0]
                return _CellProblem(opened, index, snippet, "unclosed_quote", _(
                    "a quote opened on line %(line)s is never closed, so every row after it would be read as "
                    "part of this cell: close the quote or remove it") % {"line": opened})
            pos = closed.end()
        pos = _UNQUOTED.match(text, pos).end()
        if pos >= len(text) or text[pos] != ",":
            return None  # the record ends here, every quote closed
        pos, index = pos + 1, index + 1
    return None


def _csv_lines(data: bytes) -> tuple[list[tuple[int, list[str]]], list[_CellProblem]]:
    nul = data.find(b"\0")
    if nul >= 0:
        line = 1 + len(_BYTE_BREAK.findall(data, 0, nul))
        raise _refuse(line, "\0", "nul_byte", _(
            "line %(line)s holds a NUL byte: this is not a CSV text file (a UTF-16 export or a binary file?); "
            "save it as \"CSV UTF-8\" or as .xlsx") % {"line": line})
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[tuple[int, list[str]]] = []
    start = last = 1  # the lines the record being read and the last record read begin on
    filled = 0
    try:
        for row in reader:
            cells = list(map(str.strip, row))
            lines.append((reader.line_num, cells))
            if any(cells):
                filled += 1
                if filled > MAX_ROWS + 1:
                    raise _too_many_rows(start)
            last, start = start, reader.line_num + 1
    except csv.Error as exc:
        problem = _unclosed_quote(text, start)
        if problem is not None:
            return lines, [problem]
        raise _refuse(start, "", "bad_csv", _("line %(line)s cannot be read as CSV (%(reason)s)")
                      % {"line": start, "reason": str(exc)}) from None
    # An unclosed quote runs to the end of the file: it can only be in the last record.
    problem = _unclosed_quote(text, last) if lines and '"' in text else None  # no quote at all: none unclosed
    return lines, [problem] if problem else []


def _check_zip(data: bytes) -> None:
    """Refuse a zip that would decompress beyond the limits, reading only its directory."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end >= 0 and len(data) >= end + 22:
        entries = struct.unpack("<H", data[end + 10:end + 12])[0]
        if entries != 0xFFFF and entries > MAX_MEMBERS:
            raise _refuse(1, str(entries), "xlsx_too_many_parts", _(
                "the .xlsx holds %(count)s parts, more than %(limit)s: not a workbook this system reads")
                % {"count": entries, "limit": MAX_MEMBERS})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError,
            struct.error) as exc:
        raise _refuse(1, "", "bad_xlsx", _("not a readable .xlsx file (%(reason)s)")
                      % {"reason": exc.__class__.__name__}) from None
    if len(members) > MAX_MEMBERS:
        raise _refuse(1, str(len(members)), "xlsx_too_many_parts", _(
            "the .xlsx holds %(count)s parts, more than %(limit)s: not a workbook this system reads")
            % {"count": len(members), "limit": MAX_MEMBERS})
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _refuse(1, member.filename, "xlsx_ratio", _(
                "%(part)s would expand %(ratio)s times (%(size)s MB) from %(packed)s bytes, beyond the limit of "
                "%(limit)s times: refused as a zip bomb") % {
                    "part": member.filename, "ratio": member.file_size // max(member.compress_size, 1),
                    "size": member.file_size // (1024 * 1024), "packed": member.compress_size, "limit": MAX_RATIO})
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(1, "", "xlsx_too_large", _(
            "the .xlsx would expand to %(size)s MB, beyond the limit of %(limit)s MB: split the file") % {
                "size": total // (1024 * 1024), "limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})


def _xlsx_lines(data: bytes) -> tuple[list[tuple[int, list[str]]], list[_CellProblem]]:
    _check_zip(data)
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):
        """openpyxl's own streaming parser (openpyxl is pinned), with the cached result of a formula kept as
        data_only gives it, and a formula that has none (saved by a program that does not calculate) marked."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            formula = element.find(FORMULA_TAG) if cell["value"] is None else None
            if formula is not None:
                # An empty result is saved as <v></v> with t="str"; no <v>, or an empty one for a number,
                # means the program that saved the file never calculated it (openpyxl, some exporters).
                result = element.find(VALUE_TAG)
                if result is None or element.get("t", "n") not in {"str", "s", "inlineStr"}:
                    cell["formula"] = "=" + (formula.text or "")
            return cell

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _refuse(1, "", "bad_xlsx", _("not a readable .xlsx file (%(reason)s)")
                      % {"reason": exc.__class__.__name__}) from exc
    lines: list[tuple[int, list[str]]] = []
    problems: list[_CellProblem] = []
    number = 0
    try:
        if not book.worksheets:
            raise _refuse(1, "", "bad_xlsx", _("the .xlsx has no worksheet"))
        sheet = book.worksheets[0]
        # Rows are streamed as the sheet XML holds them: the declared dimension (which may claim a million
        # rows or columns) is never used, and missing rows are not made up.
        with sheet._get_source() as source:
            parser = CellParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
            for number, cells in parser.parse():
                values: dict[int, str] = {}
                for cell in cells:
                    column = cell["column"]
                    if "formula" in cell:
                        where = f"{get_column_letter(min(column, 18_278))}{number}"
                        problems.append(_CellProblem(number, column - 1, cell["formula"], "formula_without_value", _(
                            "cell %(cell)s holds a formula without its result: open the file in Excel or WPS, "
                            "save it and import it again, or type the value") % {"cell": where}))
                        if len(problems) >= MAX_CELL_PROBLEMS:
                            return lines, problems
                        continue
                    text = _clean(cell["value"])
                    if not text:
                        continue
                    if column > MAX_COLUMNS:
                        raise _refuse(number, text[:40], "too_many_columns", _(
                            "cell %(cell)s is beyond column %(limit)s: this is not an import table")
                            % {"cell": f"{get_column_letter(min(column, 18_278))}{number}",
                               "limit": get_column_letter(MAX_COLUMNS)})
                    values[column] = text
                if values:
                    lines.append((number, [values.get(c, "") for c in range(1, max(values) + 1)]))
                    if len(lines) > MAX_ROWS + 1:
                        raise _too_many_rows(number)
    except ImportRejected:
        raise
    except Exception as exc:  # a damaged sheet: bad XML, a string index out of range, a bad cell reference
        raise _refuse(number + 1, "", "bad_xlsx", _("not a readable .xlsx file (%(reason)s, near row %(row)s)")
                      % {"reason": exc.__class__.__name__, "row": number + 1}) from exc
    finally:
        book.close()
    return lines, problems


def read_table(data: bytes, filename: str, required: list[str], optional: list[str] = ()) -> Table:
    """Parse ``data``; refuse a header with a duplicate, missing or unknown column, and a file without rows."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(1, "", "file_too_large", _("the file has %(size)s MB, more than the limit of %(limit)s MB: "
                                                 "split it") % {"size": round(len(data) / (1024 * 1024), 1),
                                                                "limit": MAX_FILE_BYTES // (1024 * 1024)})
    if Path(filename).suffix.lower() in {".xlsx", ".xlsm"}:
        lines, problems = _xlsx_lines(data)
    else:
        lines, problems = _csv_lines(data)
    lines = [(n, cells) for n, cells in lines if any(cells)]
    header_line, header = lines[0] if lines else (1, [])
    header = [normalise_name(h).lower() for h in header]
    while header and header[-1] == "":
        header.pop()
    if problems:
        def column(index: int) -> str:
            return header[index] if 0 <= index < len(header) else ""

        raise ImportRejected([RowError(p.line, column(p.index) if p.line != header_line else "", p.value, p.code,
                                       p.message) for p in problems])
    if not lines:
        raise _refuse(1, "", "empty", _("the file has no header line"))
    errors = []
    seen = set()
    for h in header:
        if h in seen:
            errors.append(RowError(header_line, h, h, "duplicate_header", _("this column appears twice")))
        seen.add(h)
    known = set(required) | set(optional)
    for h in header:
        if h not in known:
            errors.append(RowError(header_line, h, h, "unknown_column", _("unknown column; expected %(columns)s")
                                   % {"columns": ", ".join(required + list(optional))}))
    for name in required:
        if name not in seen:
            errors.append(RowError(header_line, name, "", "missing_column", _("this column is required")))
    if errors:
        raise ImportRejected(errors)
    if len(lines) == 1:
        raise _refuse(header_line + 1, "", "no_rows", _("the file has a header but no rows"))
    rows = []
    width = len(header)
    for number, cells in lines[1:]:
        if len(cells) == width:  # most rows: every cell there, none beyond
            rows.append((number, dict(zip(header, cells, strict=True))))
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            errors.append(RowError(number, "", ",".join(cells[len(header):]), "extra_cells",
                                   _("more cells than the header has columns")))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((number, dict(zip(header, cells, strict=False))))
    if errors:
        raise ImportRejected(errors)
    return Table(header, rows)
