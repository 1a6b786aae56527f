"""A report's rows as CSV, XLSX, PDF or JSON. Every text cell that Excel/WPS would run as a formula is neutralised
in the files people open (CSV, XLSX, PDF); JSON is data for programs and keeps each value as it is."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from kaohe.numbers import plain

from .base import BOOL, DATE, DECIMAL, INT, ReportResult
from .filter_text import filters_text
from .pdf import as_pdf
from .scores import jsonable, neutral

FORMATS = ("csv", "xlsx", "pdf", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}
# CSV encodings offered: UTF-8 with a BOM (Excel and WPS pick it up) and GB18030 (older tools, 国标).
ENCODINGS = ("utf-8", "gb18030")


def content_type(fmt: str, encoding: str = "utf-8") -> str:
    return f"text/csv; charset={encoding}" if fmt == "csv" else CONTENT_TYPES[fmt]


def heading(result: ReportResult) -> str:
    """The report, its round and its filters as the PDF names them: the first row of an XLSX."""
    return " · ".join(filter(None, [str(result.name), str(result.meta.get("round", "")), filters_text(result)]))


def _text(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == BOOL:
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutral(str(value))


def as_csv(result: ReportResult, encoding: str = "utf-8") -> bytes:
    """UTF-8 with a BOM so Excel and WPS pick the encoding; ``gb18030`` for older tools."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutral(str(c.label)) for c in result.columns])
    for row in result.values():
        writer.writerow([_text(v, c.type) for v, c in zip(row, result.columns, strict=True)])
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if encoding.lower().replace("-", "") == "utf8" else text.encode(encoding)


def _cell(value, kind: str):
    if value is None:
        return None
    if kind == DECIMAL:
        return Decimal(value)
    if kind == INT:
        return int(value)
    if kind == BOOL:
        return bool(value)
    if kind == DATE:
        return value
    return neutral(str(value))


def as_xlsx(result: ReportResult) -> bytes:
    """Row 1: the report and the filters used; row 2: the header, frozen; then typed cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = result.code[:31]
    sheet.append([neutral(heading(result))])
    sheet.append([neutral(str(c.label)) for c in result.columns])
    number_format = "0." + "0" * result.decimals if result.decimals else "0"
    for row in result.values():
        sheet.append([_cell(v, c.type) for v, c in zip(row, result.columns, strict=True)])
    for index, column in enumerate(result.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.type in (DECIMAL, DATE):
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = number_format if column.type == DECIMAL else "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_json(result: ReportResult) -> bytes:
    data = {
        "report": result.code, "name": result.name, "filters": {k: str(v) for k, v in result.filters.items()},
        "summary": result.summary,
        "columns": [{"key": c.key, "label": str(c.label), "type": c.type} for c in result.columns],
        "rows": [{c.key: (v.isoformat() if isinstance(v, date) else v) for c, v in zip(result.columns, row,
                                                                                         strict=True)}
                 for row in result.values()],
    }
    return json.dumps(jsonable(data), ensure_ascii=False, indent=2).encode("utf-8")


def export(result: ReportResult, fmt: str, encoding: str = "utf-8") -> bytes:
    if fmt == "csv":
        return as_csv(result, encoding)
    if fmt == "xlsx":
        return as_xlsx(result)
    if fmt == "pdf":
        return as_pdf(result)
    return as_json(result)
