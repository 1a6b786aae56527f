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


def _union(units, field: str) -> list[str]:
    """Every category (or item) code any unit has, in first-seen order: with department KPIs or
    objectives, units do not all share one set."""
    seen: dict[str, None] = {}
    for unit in units:
        seen.update(dict.fromkeys(getattr(unit, field)))
    return list(seen)


def _cell(mapping: dict, code: str, score=lambda v: v) -> str:
    return plain(score(mapping[code])) if code in mapping else ""


def _graded(result: SchemeResult) -> bool:
    return any(u.grade for u in result.units)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(text: str) -> str:
    """A text cell Excel/WPS will not run as a formula: a leading = + - @ gets an apostrophe before it."""
    return f"'{text}" if isinstance(text, str) and text.startswith(FORMULA_STARTS) else text


def as_csv(result: SchemeResult) -> str:
    units = ordered_units(result)
    categories, items = _union(units, "categories"), _union(units, "items")
    graded = _graded(result)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "group", "rank", "prize", "total", *(["grade"] if graded else []), "vetoed", "reasons",
                     *[f"category {c}" for c in categories], *[f"item {i}" for i in items]])
    for u in units:
        writer.writerow([neutral(u.unit), neutral(u.group), u.rank or "", u.prize or "", plain(u.total),
                         *([neutral(u.grade or "")] if graded else []), int(u.vetoed), neutral(_reasons(u)),
                         *[_cell(u.categories, c) for c in categories],
                         *[_cell(u.items, i, lambda item: item.score) for i in items]])
    return out.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def as_table(result: SchemeResult) -> str:
    units = ordered_units(result)
    categories = _union(units, "categories")
    graded = _graded(result)
    header = ["group", "rank", "prize", "unit", "total", *categories, *(["grade"] if graded else []),
              "veto" if result.year_end else "at risk"]
    rows = [
        [u.group, str(u.rank or "—"), str(u.prize or ""), u.unit, plain(u.total),
         *[_cell(u.categories, c) for c in categories], *([u.grade or ""] if graded else []), _reasons(u)]
        for u in units
    ]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = {1, 2, *range(4, 5 + len(categories))}
    lines = [f"{result.scheme} as of {result.as_of}" + ("" if result.year_end else " (mid-year: 序时进度)")]
    for row in [header, *rows]:
        lines.append("  ".join(_pad(cell, widths[i], i in numeric) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines) + "\n"
