"""The documented context of each print subject, built as plain data (strings, lists, dicts).

Templates never see a model: every number is already exact text (``plain``), every name resolved.
What each subject's template receives (besides ``doc``, added by :mod:`kaohe.printing.stamp`):

``unit_result``    ``round``, ``unit`` {name, group, group_name, total, rank, prize, vetoed, veto_reasons[], at_risk[]},
                   ``categories`` [{code, name, base, score, entries [{code, name, base, raw, score, floor, cap,
                   deductions, bonuses, floor_applied, cap_applied, lines [{rule, name, section, effect,
                   rows [{date, section, note, quantity, points}]}]}]}]
``round_ranking``  ``round``, ``groups`` [{code, name, ranked [{rank, unit, total, prize}],
                   vetoed [{unit, total, reasons[]}]}], ``units`` (how many were assessed)
``section_sheet``  ``round``, ``sheet`` {section, section_name, unit, state, entries [{code, name, base,
                   score, lines […]}], total, signature {signer, role, signed_at, delegate, digest} or none}
``appraisal_form`` ``round``, ``person`` {name, group, group_name, total, rank, grade, unscored},
                   ``dimensions`` [{code, name, weight, score, criteria [{code, name, weight, score,
                   sources [{source, weight, score, groups [{group, code, raters, mean, weight}]}]}]}],
                   ``notes`` [{item, renormalised, left_out, demoted, grade, to, reason}]
``evaluation_report`` see :mod:`kaohe.printing.evaluation`

(Keys never shadow a dict's own methods: a template reads ``category.entries``, since ``category.items``
would be the method.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone, translation

from kaohe.doctype.people import Role
from kaohe.models import (
    Indicator,
    RaterGroup,
    RatingSource,
    Round,
    Rule,
    ScoreSheet,
    Signature,
    TransitionLog,
    UnitGroup,
)
from kaohe.numbers import plain
from kaohe.scoring import SchemeResult, UnitResult
from kaohe.services.names import ENGINE_CODES
from kaohe.services.published import latest_version, version_result
from kaohe.services.ranking import round_unit_names
from kaohe.services.scoring import score
from kaohe.services.signatures import section_items
from kaohe.workflow.states import RoundState, SheetState, Step

PRINT_LANGUAGE = "zh-hans"  # the documents are Chinese official papers, whoever prints them
PRIZES = {1: "一等奖", 2: "二等奖", 3: "三等奖"}
CENT = Decimal("0.01")


@dataclass
class Document:
    """One printable document: its data, the signature that stands behind it (none for a draft) and the
    Desk page to point a draft's QR code at."""

    subject: str
    data: dict
    signature: Signature | None
    path: str
    unit: str = ""
    extra: dict = field(default_factory=dict)


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


def role_name(role: str) -> str:
    """The role as the printed (Chinese) document names it, whatever the reader's language."""
    with translation.override(PRINT_LANGUAGE):
        return str(Role(role).label) if role in Role.values else role


def text(value) -> str:
    return plain(value) if isinstance(value, Decimal) else ("" if value is None else str(value))


def _mean(value) -> str:
    return plain(Decimal(value).quantize(CENT, ROUND_HALF_UP)) if value is not None else ""


def round_facts(round_: Round) -> dict:
    scheme = round_.scheme
    return {
        "id": round_.pk, "name": round_.name, "scheme": scheme.code, "scheme_name": scheme.name,
        "year": scheme.year, "as_of": str(round_.as_of), "state": round_.state,
        "resolution": round_.resolution,
        "meeting_date": round_.meeting_date.isoformat() if round_.meeting_date else "",
        "published_at": timezone.localdate(round_.published_at).isoformat() if round_.published_at else "",
        "document_number": round_.pk,
    }


def round_result(round_: Round) -> SchemeResult:
    """What the round says now for readers: the latest published version, else the live result."""
    version = latest_version(round_)
    if version is not None:
        return version_result(version)
    return score(round_.scheme, as_of=round_.as_of, explain=True, units=round_unit_names(round_))


def decided_signature(round_: Round) -> Signature | None:
    """The meeting's latest signature once the round is decided (a draft until then), since its last cycle."""
    if round_.state not in {RoundState.DECIDED, RoundState.PUBLISHED, RoundState.CLOSED}:
        return None
    cycle = (TransitionLog.objects.filter(round=round_, action=Step.REOPEN)
             .order_by("-at", "-id").values_list("at", flat=True).first())
    found = round_.signatures.filter(action=Step.DECIDE).select_related("user", "on_behalf_of")
    if cycle is not None:
        found = found.filter(signed_at__gt=cycle)
    return found.order_by("-signed_at", "-id").first()


class SchemeNames:
    """Names of items, rules and sections, read once per document batch."""

    def __init__(self, scheme) -> None:
        self.items = {i.code: i for i in Indicator.objects.filter(scheme=scheme).select_related("section")
                      .order_by("order", "id")}
        self.rules = {r.code: r for r in Rule.objects.filter(scheme=scheme).select_related("indicator__section")}
        self.children: dict[str | None, list[str]] = {}
        ids = {i.pk: c for c, i in self.items.items()}
        for code, item in self.items.items():
            self.children.setdefault(ids.get(item.parent_id), []).append(code)
        self.sources = dict(RatingSource.objects.filter(scheme=scheme).values_list("code", "name"))
        self.groups = dict(UnitGroup.objects.values_list("code", "name"))
        self.rater_groups = {(source, code): name for source, code, name in RaterGroup.objects.filter(
            source__scheme=scheme).values_list("source__code", "code", "name")}

    def section_of_rule(self, code: str | None) -> str:
        rule = self.rules.get(code or "")
        section = rule and rule.indicator and rule.indicator.section
        return section.name if section else ""

    def lines(self, item) -> list[dict]:
        lines = []
        for line in item.lines:
            rule = self.rules.get(line.rule or "")
            section = self.section_of_rule(line.rule)
            detail = line.detail
            lines.append({
                "source": line.source, "rule": line.rule or "", "name": rule.name if rule else "",
                "section": section, "effect": text(line.effect),
                "indicator": detail.get("indicator", ""), "actual": text(detail.get("actual")),
                "expected": text(detail.get("expected")),
                "rows": [{"date": text(r["date"]), "section": section, "note": r.get("note") or "",
                          "quantity": text(r["quantity"]), "points": text(r.get("points"))}
                         for r in detail.get("rows", [])],
            })
        return lines

    def item(self, code: str, result) -> dict:
        spec = self.items[code]
        effects = [line.effect for line in result.lines if line.source not in {"floor", "cap"}]
        return {
            "code": code, "name": spec.name, "base": text(result.base), "raw": text(result.raw),
            "score": text(result.score), "floor": text(spec.floor), "cap": text(spec.cap),
            "deductions": text(sum((e for e in effects if e < 0), Decimal(0))),
            "bonuses": text(sum((e for e in effects if e > 0), Decimal(0))),
            "floor_applied": any(line.source == "floor" for line in result.lines),
            "cap_applied": any(line.source == "cap" for line in result.lines),
            "section": spec.section.name if spec.section else "",
            "lines": self.lines(result),
        }


def _unit_facts(unit: UnitResult, groups: dict) -> dict:
    return {
        "name": unit.unit, "group": unit.group, "group_name": groups.get(unit.group, unit.group),
        "total": text(unit.total),
        "rank": text(unit.rank), "prize": PRIZES.get(unit.prize or 0, text(unit.prize)),
        "vetoed": unit.vetoed, "grade": unit.grade or "",
        "veto_reasons": [_reason(r) for r in unit.veto_reasons], "at_risk": [_reason(r) for r in unit.at_risk],
    }


def _reason(reason: dict) -> str:
    return reason["code"] + (f"({reason['indicator']})" if reason.get("indicator") else "")


def _categories(names: SchemeNames, unit: UnitResult) -> list[dict]:
    categories = []
    for code in names.children.get(None, []):
        leaves = names.children.get(code) or [code]
        items = [names.item(c, unit.items[c]) for c in leaves if c in unit.items]
        spec = names.items[code]
        categories.append({"code": code, "name": spec.name, "base": text(spec.base),
                           "score": text(unit.categories.get(code, sum((unit.items[c].score for c in leaves
                                                                         if c in unit.items), Decimal(0)))),
                           "entries": items})
    return categories


def unit_path(round_: Round, unit_ids: dict, name: str) -> str:
    return f"/rounds/{round_.pk}/units/{unit_ids.get(name, 0)}/"


def unit_documents(round_: Round, names: list[str] | None = None) -> list[Document]:
    """One scorecard per unit of the round (or of ``names``), in ranking order per group."""
    result, facts, scheme = round_result(round_), round_facts(round_), SchemeNames(round_.scheme)
    signature = decided_signature(round_)
    ids = dict(round_.sheets.values_list("unit__name", "unit_id"))
    chosen = [u for u in ordered_units(result) if names is None or u.unit in names]
    return [Document(u.unit, {"round": facts, "unit": _unit_facts(u, scheme.groups),
                              "categories": _categories(scheme, u), "notes": [flat_note(n) for n in u.notes]},
                     signature, unit_path(round_, ids, u.unit), unit=u.unit) for u in chosen]


def ordered_units(result: SchemeResult) -> list[UnitResult]:
    return sorted(result.units, key=lambda u: (u.group, u.vetoed, u.rank is None, u.rank or 0, -u.total, u.unit))


def ranking_document(round_: Round) -> Document:
    result = round_result(round_)
    groups = dict(round_.scheme.groups.order_by("group__order").values_list("group__code", "group__name"))
    by_group: dict[str, dict] = {code: {"code": code, "name": name, "ranked": [], "vetoed": []}
                                 for code, name in groups.items()}
    for unit in ordered_units(result):
        group = by_group.setdefault(unit.group, {"code": unit.group, "name": unit.group, "ranked": [], "vetoed": []})
        if unit.vetoed:
            group["vetoed"].append({"unit": unit.unit, "total": text(unit.total),
                                    "reasons": [_reason(r) for r in unit.veto_reasons]})
        else:
            group["ranked"].append({"unit": unit.unit, "total": text(unit.total), "rank": text(unit.rank),
                                    "prize": PRIZES.get(unit.prize or 0, text(unit.prize))})
    data = {"round": round_facts(round_), "groups": [g for g in by_group.values() if g["ranked"] or g["vetoed"]],
            "units": len(result.units)}
    return Document(round_.name, data, decided_signature(round_), f"/rounds/{round_.pk}/ranking/")


def sheet_documents(round_: Round, section: str | None = None, unit: str | None = None) -> list[Document]:
    """Each section's sheet of each unit, with its signature block once it is signed."""
    sheets = round_.sheets.select_related("section", "unit").order_by("section__code", "unit__name")
    if section:
        sheets = sheets.filter(section__code=section)
    if unit:
        sheets = sheets.filter(unit__name=unit)
    sheets = list(sheets)
    if not sheets:
        return []
    result = round_result(round_) if round_.published else score(
        round_.scheme, as_of=round_.as_of, explain=True, units=sorted({s.unit.name for s in sheets}))
    units = {u.unit: u for u in result.units}
    scheme, facts, codes = SchemeNames(round_.scheme), round_facts(round_), {}
    documents = []
    for sheet in sheets:
        if sheet.section_id not in codes:
            codes[sheet.section_id] = section_items(sheet)
        documents.append(_sheet_document(sheet, units.get(sheet.unit.name), codes[sheet.section_id], scheme, facts))
    return documents


def latest_sheet_signature(sheet: ScoreSheet) -> Signature | None:
    if sheet.state != SheetState.SIGNED:
        return None
    return sheet.signatures.select_related("user", "on_behalf_of").order_by("-signed_at", "-id").first()


def _sheet_document(sheet, unit: UnitResult | None, codes: list[str], scheme: SchemeNames, facts: dict) -> Document:
    signature = latest_sheet_signature(sheet)
    items = [scheme.item(c, unit.items[c]) for c in codes if unit and c in unit.items]
    total = sum((unit.items[c].score for c in codes if unit and c in unit.items), Decimal(0))
    signed = None
    if signature is not None:
        signed = {"signer": person_name(signature.user), "role": role_name(signature.role),
                  "signed_at": timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M"),
                  "delegate": person_name(signature.on_behalf_of) if signature.on_behalf_of_id else "",
                  "digest": signature.digest}
    data = {"round": facts, "sheet": {"section": sheet.section.code, "section_name": sheet.section.name,
                                      "unit": sheet.unit.name, "state": sheet.state, "entries": items,
                                      "total": text(total), "signature": signed}}
    return Document(f"{sheet.section.name} · {sheet.unit.name}", data, signature, f"/sheets/{sheet.pk}/",
                    unit=sheet.unit.name)


def appraisal_documents(round_: Round, names: list[str] | None = None) -> list[Document]:
    """One form per appraisee of a weighted scheme: dimensions, criteria, sources, rater groups' means."""
    result, facts, scheme = round_result(round_), round_facts(round_), SchemeNames(round_.scheme)
    signature = decided_signature(round_)
    ids = dict(round_.sheets.values_list("unit__name", "unit_id"))
    documents = []
    for unit in ordered_units(result):
        if names is not None and unit.unit not in names:
            continue
        dimensions = []
        for code in scheme.children.get(None, []):
            criteria = [criterion(scheme, c, unit.items.get(c)) for c in scheme.children.get(code, [])]
            item = unit.items.get(code)
            dimensions.append({"code": code, "name": scheme.items[code].name,
                               "weight": text(scheme.items[code].weight),
                               "score": text(item.score) if item else "", "criteria": criteria})
        appraisee = {"name": unit.unit, "group": unit.group, "group_name": scheme.groups.get(unit.group, unit.group),
                     "total": text(unit.total), "rank": text(unit.rank),
                  "grade": unit.grade or "", "unscored": unit.unscored}
        documents.append(Document(unit.unit, {"round": facts, "person": appraisee, "dimensions": dimensions,
                                              "notes": [flat_note(n, scheme.sources) for n in unit.notes]},
                                  signature, unit_path(round_, ids, unit.unit), unit=unit.unit))
    return documents


def criterion(scheme: SchemeNames, code: str, item) -> dict:
    sources = []
    for line in (item.lines if item else ()):
        for source in line.detail.get("sources", []):
            sources.append({"source": scheme.sources.get(source["source"], source["source"]),
                            "weight": text(source["weight"]), "score": _mean(source["score"]),
                            "groups": [{"group": scheme.rater_groups.get((source["source"], g["group"]), g["group"]),
                                        "code": g["group"], "raters": g["raters"], "mean": _mean(g["mean"]),
                                        "weight": text(g["weight"])} for g in source["groups"]]})
    spec = scheme.items[code]
    return {"code": code, "name": spec.name, "weight": text(spec.weight),
            "score": text(item.score) if item else "", "sources": sources}


def flat_note(note: dict, sources: dict | None = None) -> dict:
    """A note as flat text fields: the template words it (``renormalised``, ``left_out`` or ``demoted``)."""
    moved = note.get("demoted") or {}
    names = sources or {}
    return {"item": note.get("item", ""),
            "renormalised": "、".join(names.get(s, s) for s in note.get("renormalised", [])),
            "left_out": _engine_words(note.get("left_out")), "demoted": bool(moved),
            "grade": text(moved.get("grade")), "to": text(moved.get("to")),
            "reason": _engine_words(moved.get("reason"))}


def _engine_words(code) -> str:
    """An engine code (``no ratings``, ``quota``) in the printed (Chinese) document's words, as the Desk names it;
    anything else as it is."""
    if not isinstance(code, str) or code not in ENGINE_CODES:
        return text(code)
    with translation.override(PRINT_LANGUAGE):
        return str(ENGINE_CODES[code])
