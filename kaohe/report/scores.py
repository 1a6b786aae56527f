"""A scheme's result as JSON, CSV or a terminal table."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from decimal import Decimal
from typing import Any

from kaohe.numbers import json_number, plain
from kaohe.scoring import SchemeResult


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def ordered_units(result: SchemeResult):
    """By group, then rank (vetoed last), then name."""
    return sorted(result.units, key=lambda u: (u.group, u.rank is None, u.rank or 0, u.unit))


def as_json(result: SchemeResult) -> str:
    data = result.as_dict()
    data["units"] = [u.as_dict() for u in ordered_units(result)]
    return json.dumps(jsonable(data), ensure_ascii=False, indent=2)


def _reasons(unit) -> str:
    reasons = unit.veto_reasons or unit.at_risk
    return ";".join(r["code"] + (f"({r['indicator']})" if r.get("indicator") else "") for r in reasons)


def as_csv(result: SchemeResult) -> str:
    units = ordered_units(result)
    categories = list(units[0].categories) if units else []
    items = list(units[0].items) if units else []
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "group", "rank", "prize", "total", "vetoed", "reasons",
                     *[f"category {c}" for c in categories], *[f"item {i}" for i in items]])
    for u in units:
        writer.writerow([u.unit, u.group, u.rank or "", u.prize or "", plain(u.total), int(u.vetoed), _reasons(u),
                         *[plain(u.categories[c]) for c in categories], *[plain(u.items[i].score) for i in items]])
    return out.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def as_table(result: SchemeResult) -> str:
    units = ordered_units(result)
    categories = list(units[0].categories) if units else []
    header = ["group", "rank", "prize", "unit", "total", *categories, "veto" if result.year_end else "at risk"]
    rows = [
        [u.group, str(u.rank or "—"), str(u.prize or ""), u.unit, plain(u.total),
         *[plain(u.categories[c]) for c in categories], _reasons(u)]
        for u in units
    ]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = {1, 2, *range(4, 5 + len(categories))}
    lines = [f"{result.scheme} as of {result.as_of}" + ("" if result.year_end else " (mid-year: 序时进度)")]
    for row in [header, *rows]:
        lines.append("  ".join(_pad(cell, widths[i], i in numeric) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines) + "\n"
