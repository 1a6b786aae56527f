"""Reads a scheme written as TOML (``fixtures/schemes/*.toml``) and checks it; ``kaohe.actions.schemes``
writes it into the database."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

from kaohe.doctype.scheme_check import rule_problems, weight_problems
from kaohe.scoring import (
    Band,
    EconomicSpec,
    GradeSpec,
    GroupSpec,
    ItemSpec,
    Method,
    RaterGroupSpec,
    RuleSpec,
    SchemeSpec,
    SourceSpec,
)
from kaohe.scoring.spec import WEIGHTED_KINDS, Kind

SCHEMES_DIR = Path(settings.BASE_DIR) / "fixtures" / "schemes"


class SchemeFileError(ValueError):
    """The scheme file contradicts itself; the message says where."""


def scheme_file(family: str) -> Path:
    return SCHEMES_DIR / f"{family}.toml"


def dec(value, where: str) -> Decimal | None:
    if value is None or value == "none":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError as exc:
        raise SchemeFileError(f"{where}: {value!r} is not a number") from exc


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def read_scheme_file(path: Path, year: int) -> dict:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    _check(data)
    head = data["scheme"]
    head["code"] = head["code"].format(year=year)
    head["name"] = head["name"].format(year=year)
    head["year"] = year
    return data


def _check(data: dict) -> None:
    items = {i["code"]: i for i in data.get("items", [])}
    for code in items:
        parent = parent_code(code)
        if parent and parent not in items:
            raise SchemeFileError(f"item {code}: parent {parent} is not defined")
    for rule in data.get("rules", []):
        fake = SimpleNamespace(
            kind=rule.get("kind"),
            indicator=rule.get("item"),
            amount=dec(rule.get("amount"), rule["code"]),
            min_points=dec(rule.get("min"), rule["code"]),
            max_points=dec(rule.get("max"), rule["code"]),
            bands=rule.get("bands", []),
        )
        problems = rule_problems(fake)
        if problems:
            raise SchemeFileError(f"rule {rule['code']}: " + "; ".join(f"{k}: {v}" for k, v in problems.items()))
        if rule.get("item") and rule["item"] not in items:
            raise SchemeFileError(f"rule {rule['code']}: item {rule['item']} is not defined")
    method = Method(data["scheme"].get("method", Method.POINTS))
    if method != Method.POINTS:
        _check_weighted(data, items, method)
    weights = sum((Decimal(e["weight"]) for e in data.get("economic", [])), Decimal(0))
    for rule in data.get("rules", []):
        if rule["kind"] == Kind.ECONOMIC:
            base = Decimal(items[rule["item"]].get("base", "0"))
            if weights != base:
                raise SchemeFileError(f"rule {rule['code']}: the weights add to {weights}, the item's base is {base}")


def _check_weighted(data: dict, items: dict, method: Method) -> None:
    problems = weight_problems([(code, parent_code(code), dec(i.get("weight"), code), i.get("group"))
                                for code, i in items.items()])
    if problems:
        raise SchemeFileError("; ".join(problems))
    parents = {parent_code(code) for code in items}
    scored = {}
    for rule in data.get("rules", []):
        if Kind(rule["kind"]) not in WEIGHTED_KINDS:
            raise SchemeFileError(f"rule {rule['code']}: a {method} scheme has no {rule['kind']} rules")
        if rule.get("item") in scored:
            raise SchemeFileError(f"item {rule['item']}: scored by both {scored[rule['item']]} and {rule['code']}")
        scored[rule.get("item")] = rule["code"]
    for code in items:
        if code not in parents and code not in scored and method == Method.WEIGHTED:
            raise SchemeFileError(f"item {code}: a leaf needs a rule that scores it")
    rating_rules = {r["code"] for r in data.get("rules", []) if r["kind"] == Kind.RATING}
    if rating_rules and not data.get("sources"):
        raise SchemeFileError("rating rules need at least one [[sources]]")
    for source in data.get("sources", []):
        unknown = [c for c in source.get("criteria", []) if c not in rating_rules]
        if unknown:
            raise SchemeFileError(f"source {source['code']}: {', '.join(unknown)} are not rating rules")
    minimums = [dec(g["min"], g["code"]) for g in data.get("grades", [])]
    if minimums != sorted(minimums, reverse=True):
        raise SchemeFileError("grades are listed from the highest minimum score down")


def spec_from_file(family: str, year: int, path: Path | None = None) -> SchemeSpec:
    """The scheme file as the engine sees it, without a database (for tests and previews)."""
    data = read_scheme_file(path or scheme_file(family), year)
    items = data.get("items", [])
    bases_ = bases(items)

    return SchemeSpec(
        code=data["scheme"]["code"],
        year=year,
        places=data["scheme"].get("decimal_places", 2),
        tie_breakers=tuple(t for t in data["scheme"].get("tie_breakers", "").split(",") if t),
        method=Method(data["scheme"].get("method", Method.POINTS)),
        items=tuple(
            ItemSpec(i["code"], i["name"], bases_[i["code"]], parent_code(i["code"]),
                     dec(i.get("floor", "0"), i["code"]), dec(i.get("cap"), i["code"]), n,
                     weight=dec(i.get("weight"), i["code"]), group=i.get("group"), owner=i.get("owner"),
                     target=dec(i.get("target"), i["code"]))
            for n, i in enumerate(items)
        ),
        sources=tuple(
            SourceSpec(src["code"], src["name"], Decimal(src["weight"]),
                       tuple(RaterGroupSpec(g["code"], g["name"], Decimal(g["weight"]), g.get("min", 1))
                             for g in src.get("groups", [])),
                       tuple(src.get("criteria", [])), src.get("calendar", "annual"))
            for src in data.get("sources", [])
        ),
        grades=tuple(GradeSpec(g["code"], g.get("name", g["code"]), Decimal(g["min"]), dec(g.get("quota"), g["code"]),
                               g.get("needs_plan", False)) for g in data.get("grades", [])),
        rules=tuple(
            RuleSpec(r["code"], Kind(r["kind"]), r.get("item"), r["name"], dec(r.get("amount"), r["code"]),
                     dec(r.get("min"), r["code"]), dec(r.get("max"), r["code"]),
                     tuple(Band(Decimal(str(b["limit"])), Decimal(str(b["points"]))) for b in r.get("bands", [])))
            for r in data.get("rules", [])
        ),
        economic=tuple(EconomicSpec(e["code"], e["name"], Decimal(e["weight"]), e.get("veto", False))
                       for e in data.get("economic", [])),
        groups=tuple(GroupSpec(g["code"], g["name"], tuple(g.get("prizes", ()))) for g in data.get("groups", [])),
    )


def bases(items: list[dict]) -> dict[str, Decimal]:
    """Each item's base; a category's is the sum of its items'."""
    children: dict[str, list[str]] = {}
    for item in items:
        parent = parent_code(item["code"])
        if parent:
            children.setdefault(parent, []).append(item["code"])
    by_code = {i["code"]: i for i in items}

    def base_of(code: str) -> Decimal:
        if code in children:
            return sum((base_of(c) for c in children[code]), Decimal(0))
        return dec(by_code[code].get("base", "0"), code)

    return {code: base_of(code) for code in by_code}
