"""Schemes without a programmer: load one from its file, copy one to another year, edit an item or a rule.

A scheme's fields are defined once, by its models: copying walks every concrete field of every
record that defines a scheme, so a field added later is copied without touching this module.
A copy also carries the scheme's questionnaires (the newest version of each), not what was answered.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.doctype.definition import DEFINITION, NESTED
from kaohe.models import (
    EconomicIndicator,
    Grade,
    Indicator,
    Question,
    Questionnaire,
    RaterGroup,
    RatingSource,
    Rule,
    Scheme,
    SchemeGroup,
    Section,
    Unit,
    UnitGroup,
)
from kaohe.permissions import can_edit_scheme
from kaohe.refusals import NotAllowed, Refused
from kaohe.scoring import Method
from kaohe.services.seed import bases, dec, parent_code, read_scheme_file, scheme_file, spec_from_file
from kaohe.services.spec import scheme_spec
from kaohe.services.surveys import questionnaires_in_use

from .audit import audit
from .locks import LockBook

REMAPPED = {Indicator: {"parent_id"}, Rule: {"indicator_id"}}


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


@transaction.atomic
def do_copy_scheme(scheme: Scheme, *, year: int, acting_user) -> Scheme:
    """Next year's scheme: every record that defines this one, every field, copied, and its questionnaires; the
    data (ledger, figures, ratings, rounds, surveys and their answers) stays with the year it belongs to."""
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator edits schemes."))
    old_year = str(scheme.year)
    code = scheme.code.replace(old_year, str(year)) if old_year in scheme.code else f"{scheme.code}-{year}"
    if not 2000 <= year <= 2100:
        raise Refused("bad_year", _("The year must be between 2000 and 2100."))
    if Scheme.objects.filter(code=code).exists():
        raise Refused("scheme_exists", _("%(code)s already exists."), code=code)
    copy = Scheme.objects.create(**{**_values(scheme), "code": code, "year": year,
                                    "name": scheme.name.replace(str(scheme.year), str(year))})
    made: dict[type, dict[int, int]] = {}

    def clone(model, link: str, old_parent_id: int, new_parent_id: int) -> None:
        rows = model.objects.filter(**{f"{link}_id": old_parent_id}).order_by("pk")
        if model is Indicator:  # parents first, so that each child finds its parent's copy
            rows = sorted(rows, key=lambda i: (i.code.count("."), i.order, i.pk))
        for row in rows:
            values = {**_values(row), f"{link}_id": new_parent_id}
            for field in REMAPPED.get(model, ()):
                target = Indicator if model in (Indicator, Rule) else model
                if values[field] is not None:
                    values[field] = made[target][values[field]]
            new = model.objects.create(**values)
            made.setdefault(model, {})[row.pk] = new.pk
            for child, child_link in NESTED.get(model, ()):
                clone(child, child_link, row.pk, new.pk)

    for model, link in DEFINITION:
        clone(model, link, scheme.pk, copy.pk)
    RaterGroup.objects.filter(source__scheme=copy).update(deadline=None)  # last year's dates are not next year's
    carried = _copy_questionnaires(scheme, copy)
    audit(acting_user, "scheme.copy", scheme=copy, target=copy, before={"from": scheme.code, "questionnaires": carried},
          after={"year": year, "questionnaires": {code: 1 for code in carried}})
    return copy


def _copy_questionnaires(scheme: Scheme, copy: Scheme) -> dict[str, int]:
    """The newest version of each questionnaire becomes version 1 of the copy's, its questions on the copy's rules
    of the same codes. A question whose rule the copy lacks refuses the whole copy, as any dangling reference
    does: dropping it would silently reweigh the other questions on its criterion. Returns code → version."""
    rules = dict(Rule.objects.filter(scheme=copy).values_list("code", "pk"))
    carried = {}
    for questionnaire in questionnaires_in_use(scheme):
        made = Questionnaire.objects.create(**{**_values(questionnaire), "scheme_id": copy.pk, "version": 1})
        questions = []
        for question in questionnaire.questions.select_related("rule"):
            values = {**_values(question), "questionnaire_id": made.pk}
            if question.rule is not None:
                if question.rule.code not in rules:
                    raise Refused("questionnaire_criterion_missing",
                                  _("Question %(n)s of the questionnaire %(questionnaire)s scores %(criterion)s, "
                                    "which %(scheme)s does not have."), n=question.order,
                                  questionnaire=questionnaire.name, criterion=question.rule.code, scheme=copy.code)
                values["rule_id"] = rules[question.rule.code]
            questions.append(Question(**values))
        Question.objects.bulk_create(questions)
        carried[questionnaire.code] = questionnaire.version
    return carried


@transaction.atomic
def do_load_scheme(family: str, year: int, path: Path | None = None, *, acting_user=None) -> Scheme:
    """Create or update a scheme from its TOML file; loading an unchanged file writes nothing.

    A scheme whose running round has signed content is refused while the file would change it.
    """
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator edits schemes."))
    data = read_scheme_file(path or scheme_file(family), year)
    head = data["scheme"]
    existing = Scheme.objects.filter(code=head["code"]).first()
    if existing is not None:
        if scheme_spec(existing) == spec_from_file(family, year, path):
            return existing
        refusal = LockBook(existing).for_anything()
        if refusal is not None:
            raise refusal
    scheme, _created = Scheme.objects.update_or_create(
        code=head["code"],
        defaults={
            "name": head["name"],
            "year": year,
            "family": head.get("family", family),
            "decimal_places": head.get("decimal_places", 2),
            "tie_breakers": head.get("tie_breakers", ""),
            "method": head.get("method", Method.POINTS),
            "rating_scale": {letter: str(points) for letter, points in data.get("scale", {}).items()},
        },
    )
    sections = {}
    for s in data.get("sections", []):
        sections[s["code"]], _made = Section.objects.update_or_create(
            code=s["code"], defaults={"name": s["name"], "collects": s.get("collects", False)}
        )
    for order, g in enumerate(data.get("groups", [])):
        group, _made = UnitGroup.objects.update_or_create(code=g["code"], defaults={"name": g["name"], "order": order})
        first, second, third = [*g.get("prizes", []), 0, 0, 0][:3]
        SchemeGroup.objects.update_or_create(
            scheme=scheme, group=group,
            defaults={"first_prizes": first, "second_prizes": second, "third_prizes": third},
        )
    for order, e in enumerate(data.get("economic", [])):
        EconomicIndicator.objects.update_or_create(
            scheme=scheme, code=e["code"],
            defaults={"name": e["name"], "weight": Decimal(e["weight"]), "in_veto": e.get("veto", False),
                      "order": order},
        )
    for u in data.get("units", []):
        Unit.objects.get_or_create(name=u["name"], defaults={"group": UnitGroup.objects.get(code=u["group"])})
    _load_appraisal(scheme, data)
    indicators = _load_items(scheme, data.get("items", []), sections)
    for order, r in enumerate(data.get("rules", [])):
        Rule.objects.update_or_create(
            scheme=scheme, code=r["code"],
            defaults={
                "name": r["name"],
                "kind": r["kind"],
                "indicator": indicators.get(r.get("item")),
                "amount": dec(r.get("amount"), r["code"]),
                "min_points": dec(r.get("min"), r["code"]),
                "max_points": dec(r.get("max"), r["code"]),
                "bands": [{"limit": str(b["limit"]), "points": str(b["points"])} for b in r.get("bands", [])],
                "order": order,
            },
        )
    audit(acting_user, "scheme.load", scheme=scheme, target=scheme, after={"file": str(path or scheme_file(family))})
    return scheme


def _load_appraisal(scheme: Scheme, data: dict) -> None:
    for g in data.get("grades", []):
        Grade.objects.update_or_create(
            scheme=scheme, code=g["code"],
            defaults={"min_score": Decimal(g["min"]), "quota": dec(g.get("quota"), g["code"]),
                      "needs_plan": g.get("needs_plan", False)},
        )
    for order, src in enumerate(data.get("sources", [])):
        source, _made = RatingSource.objects.update_or_create(
            scheme=scheme, code=src["code"],
            defaults={"name": src["name"], "weight": Decimal(src["weight"]), "order": order,
                      "calendar": src.get("calendar", "annual"), "criteria": src.get("criteria", []),
                      "survey": src.get("survey", False)},
        )
        for position, g in enumerate(src.get("groups", [])):
            RaterGroup.objects.update_or_create(
                source=source, code=g["code"],
                defaults={"name": g["name"], "weight": Decimal(g["weight"]), "min_raters": g.get("min", 1),
                          "note_below": dec(g.get("note_below"), g["code"]), "order": position},
            )


def _load_items(scheme: Scheme, items: list[dict], sections: dict) -> dict[str, Indicator]:
    bases_ = bases(items)
    loaded: dict[str, Indicator] = {}
    for order, item in enumerate(items):
        code = item["code"]
        parent = parent_code(code)
        loaded[code], _made = Indicator.objects.update_or_create(
            scheme=scheme, code=code,
            defaults={
                "name": item["name"],
                "parent": loaded.get(parent) if parent else None,
                "base": bases_[code],
                "floor": dec(item.get("floor", "0"), code),
                "cap": dec(item.get("cap"), code),
                # an item without a section of its own is scored by its parent's
                "section": sections.get(item["section"]) if item.get("section") else (
                    loaded[parent].section if parent else None),
                "order": order,
                "weight": dec(item.get("weight"), code),
                "applies_to": UnitGroup.objects.get(code=item["group"]) if item.get("group") else None,
                "owner": Unit.objects.get(name=item["owner"]) if item.get("owner") else None,
                "target": dec(item.get("target"), code),
            },
        )
    return loaded
