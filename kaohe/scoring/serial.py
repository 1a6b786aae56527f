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


def unit_to_data(u: UnitResult) -> dict[str, Any]:
    return _text({
        "unit": u.unit, "group": u.group, "total": u.total, "categories": u.categories,
        "items": [[i.code, i.base, i.raw, i.score, i.weight,
                   [[ln.source, ln.effect, ln.rule, ln.detail] for ln in i.lines]]
                  for i in u.items.values()],
        "vetoed": u.vetoed, "veto_reasons": list(u.veto_reasons), "at_risk": list(u.at_risk),
        "warnings": list(u.warnings), "rank": u.rank, "prize": u.prize, "grade": u.grade,
        "notes": list(u.notes),
    })


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
    return _text({
        "scheme": result.scheme,
        "as_of": result.as_of,
        "year_end": result.year_end,
        "grading": list(result.grading),
        "units": [unit_to_data(u) for u in result.units],
    })


def result_from_data(data: dict[str, Any]) -> SchemeResult:
    units = [unit_from_data(u) for u in data["units"]]
    return SchemeResult(data["scheme"], data["as_of"], data["year_end"], tuple(units), tuple(data["grading"]))
