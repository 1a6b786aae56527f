"""A result as plain data and back, exactly: decimals travel as text, so a stored result reads back equal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .result import ItemResult, Line, SchemeResult, UnitResult


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): _text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    return value


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _number(value: Decimal | None) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value  # as _text has it


def unit_to_data(u: UnitResult) -> dict[str, Any]:
    # The items, their numbers and lines written out rather than walked by _text: a stored standing is
    # written for every unit a write touches, and an item's fields are known.
    return {
        "unit": u.unit, "group": u.group, "total": _number(u.total),
        "categories": {str(code): _number(score) for code, score in u.categories.items()},
        "items": [[i.code, _number(i.base), _number(i.raw), _number(i.score), _number(i.weight),
                   [[ln.source, _number(ln.effect), ln.rule, _text(ln.detail)] for ln in i.lines] if i.lines else []]
                  for i in u.items.values()],
        "vetoed": u.vetoed, "veto_reasons": _text(list(u.veto_reasons)), "at_risk": _text(list(u.at_risk)),
        "warnings": list(u.warnings), "rank": u.rank, "prize": u.prize, "grade": u.grade,
        "notes": _text(list(u.notes)),
    }


def unit_from_data(u: dict[str, Any]) -> UnitResult:
    items = {
        code: ItemResult(code, Decimal(base), Decimal(raw), Decimal(score),
                         tuple(Line(src, Decimal(effect), rule, detail) for src, effect, rule, detail in lines),
                         _dec(weight))
        for code, base, raw, score, weight, lines in u["items"]
    }
    return UnitResult(
        unit=u["unit"], group=u["group"], total=Decimal(u["total"]),
        categories={c: Decimal(v) for c, v in u["categories"].items()}, items=items, vetoed=u["vetoed"],
        veto_reasons=tuple(u["veto_reasons"]), at_risk=tuple(u["at_risk"]), warnings=tuple(u["warnings"]),
        rank=u["rank"], prize=u["prize"], grade=u["grade"], notes=tuple(u["notes"]),
    )


def result_to_data(result: SchemeResult) -> dict[str, Any]:
    return {
        "scheme": result.scheme,
        "as_of": result.as_of,
        "year_end": result.year_end,
        "grading": _text(list(result.grading)),
        "units": [unit_to_data(u) for u in result.units],
    }


def result_from_data(data: dict[str, Any]) -> SchemeResult:
    units = [unit_from_data(u) for u in data["units"]]
    return SchemeResult(data["scheme"], data["as_of"], data["year_end"], tuple(units), tuple(data["grading"]))
