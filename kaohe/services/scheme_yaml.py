"""A scheme of any method as one readable YAML file, to share with another county.

Every record that defines a scheme (the same list a scheme copy walks) is written with every concrete
field, foreign keys as the code or name a person reads; the sections, groups and units it refers to
are written beside it, and the approval route for reference. The questionnaires travel as the version in
use of each, with their questions. Rows are sorted by their own keys, not by database ids, so the same scheme
always gives the same bytes, on any database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import yaml
from django.db import models

from kaohe.doctype.definition import DEFINITION
from kaohe.doctype.definition import NESTED as NESTED_RECORDS
from kaohe.models import (
    EconomicIndicator,
    Grade,
    Indicator,
    PrintFormat,
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
from kaohe.workflow.models import Workflow

from .surveys import questionnaires_in_use

FORMAT = 1
# The file's key for each record kind that defines a scheme, as a person would name the list.
KEYS = {SchemeGroup: "groups", EconomicIndicator: "economic_indicators", Grade: "grades", Indicator: "indicators",
        Rule: "rules", RatingSource: "rating_sources", RaterGroup: "rater_groups"}
# (file key, model, the field pointing at its parent) in the order an import creates them.
PARTS = [(KEYS[model], model, link) for model, link in DEFINITION]
NESTED = {parent: (KEYS[child], child, link) for parent, children in NESTED_RECORDS.items()
          for child, link in children}
# The questionnaires and, inside each, its questions: (file key, model, the field pointing at its parent).
QUESTIONNAIRES = ("questionnaires", Questionnaire, "scheme")
QUESTIONS = ("questions", Question, "questionnaire")
# How a foreign key is written: the field of the target a person reads.
REFERENCE = {Indicator: "code", Rule: "code", Section: "code", UnitGroup: "code", Unit: "name"}
# Fields the receiving system gives: a questionnaire arrives as version 1 of its new scheme.
NOT_CARRIED = {Questionnaire: {"version", "created_at"}}
SHARED = [("sections", Section, ["code", "name", "collects"]), ("unit_groups", UnitGroup, ["code", "name", "order"]),
          ("units", Unit, ["name", "group", "active"])]


def plain_value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):  # "1.6", not "1.60" from one database and "1.6" from another
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def fields_of(model, link: str | None) -> list[models.Field]:
    skipped = NOT_CARRIED.get(model, set())
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name != link and f.name not in skipped]


def _row(obj, link: str | None) -> dict:
    row = {}
    for field in fields_of(type(obj), link):
        if field.is_relation:
            target = getattr(obj, field.name)
            row[field.name] = None if target is None else getattr(target, REFERENCE[field.related_model])
        else:
            row[field.name] = plain_value(getattr(obj, field.attname))
    return row


def _sort_key(model, row: dict):
    keys = [name.lstrip("-") for name in model._meta.ordering if name.lstrip("-") not in {"scheme", "source"}]
    sign = {name.lstrip("-"): -1 if name.startswith("-") else 1 for name in model._meta.ordering}
    parts = []
    for name in [*keys, "code", "group"]:
        value = row.get(name)
        if isinstance(value, str) and sign.get(name, 1) < 0:
            try:
                parts.append(-Decimal(value))
                continue
            except ArithmeticError:
                pass
        parts.append((value is None, value if value is not None else ""))
    return parts


def _rows(model, link: str, parent) -> list[dict]:
    rows = []
    for obj in model.objects.filter(**{link: parent}).select_related(
            *[f.name for f in fields_of(model, link) if f.is_relation]):
        row = _row(obj, link)
        nested = NESTED.get(model)
        if nested:
            key, child, child_link = nested
            row[key] = _rows(child, child_link, obj)
        rows.append(row)
    return sorted(rows, key=lambda row: _sort_key(model, row))


def _route() -> dict:
    route = {}
    for workflow in Workflow.objects.prefetch_related("states", "transitions").order_by("target"):
        route[workflow.target] = {
            "states": sorted(state.code for state in workflow.states.all()),
            "transitions": sorted(f"{t.source.code} -{t.action}-> {t.target.code}"
                                  for t in workflow.transitions.select_related("source", "target")),
        }
    return route


# A print format's own fields (its version, author and time are the receiving system's to give).
PRINT_FIELDS = [f.name for f in PrintFormat._meta.concrete_fields
                if f.name not in {"id", "version", "created_by", "created_at"}]


def _print_formats() -> list[dict]:
    """The version in use of every print format: the paper a scheme's results go out on."""
    newest: dict[str, PrintFormat] = {}
    for fmt in PrintFormat.objects.order_by("code", "version"):
        newest[fmt.code] = fmt
    return [{name: plain_value(getattr(fmt, name)) for name in PRINT_FIELDS} for fmt in newest.values()]


def _questionnaires(scheme: Scheme) -> list[dict]:
    """The version in use of each questionnaire, its questions in their order; rules named by code."""
    key, _model, link = QUESTIONS
    rows = []
    for questionnaire in questionnaires_in_use(scheme):
        row = _row(questionnaire, QUESTIONNAIRES[2])
        row[key] = [_row(question, link) for question in questionnaire.questions.select_related("rule")]
        rows.append(row)
    return rows


def scheme_document(scheme: Scheme) -> dict:
    document = {"kaohe_scheme": FORMAT, "scheme": _row(scheme, None)}
    for key, model, link in PARTS:
        document[key] = _rows(model, link, scheme)
    document[QUESTIONNAIRES[0]] = _questionnaires(scheme)
    groups = {row["group"] for row in document["groups"]}
    groups |= {row["applies_to"] for row in document["indicators"] if row["applies_to"]}
    unit_names = {row["owner"] for row in document["indicators"] if row["owner"]}
    units = Unit.objects.filter(name__in=unit_names).select_related("group")
    groups |= {unit.group.code for unit in units}
    sections = {row["section"] for row in document["indicators"] if row["section"]}
    chosen = {"sections": Section.objects.filter(code__in=sections),
              "unit_groups": UnitGroup.objects.filter(code__in=groups), "units": units}
    for key, _model, names in SHARED:
        document[key] = sorted(({name: _row(obj, None)[name] for name in names} for obj in chosen[key]),
                               key=lambda row, names=names: [str(row[n]) for n in names])
    document["route"] = _route()
    document["print_formats"] = _print_formats()
    return document


def export_scheme(scheme: Scheme) -> str:
    header = (f"# {scheme.name}\n# kaohe scheme file, format {FORMAT}: `manage.py import_scheme` reads it back.\n")
    return header + yaml.dump(scheme_document(scheme), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with a template or a style sheet written as the block of lines it is."""


def _text(dumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)
