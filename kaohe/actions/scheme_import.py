"""Import a scheme file written by `export_scheme`: every record checked, all of it or nothing."""

from __future__ import annotations

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.models import PrintFormat, Scheme
from kaohe.permissions import can_edit_scheme
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.scheme_yaml import (
    FORMAT,
    NESTED,
    PARTS,
    PRINT_FIELDS,
    QUESTIONNAIRES,
    QUESTIONS,
    REFERENCE,
    SHARED,
    fields_of,
)

from .audit import audit
from .printing import do_save_print_format

LINE = "__line__"
# The key of the records a row carries inside it, besides its own fields.
CHILDREN = {**{model: key for model, (key, _child, _link) in NESTED.items()}, QUESTIONNAIRES[1]: QUESTIONS[0]}


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers on which line each mapping starts, so an error can name it."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def _without_lines(value):
    """A field's own value (a JSON field's dicts and lists) without the line marks the loader added."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


class _Errors:
    def __init__(self) -> None:
        self.found: list[RowError] = []

    def add(self, line, where: str, value, code: str, message) -> None:
        self.found.append(RowError(line=line or 0, column=where, value="" if value is None else str(value),
                                   code=code, message=str(message)))


def _parse(text: str, errors: _Errors) -> dict | None:
    try:
        document = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no Python objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(mark.line + 1 if mark else 0, "", "", "not_yaml", _("This is not a readable YAML file: %(why)s")
                   % {"why": getattr(exc, "problem", None) or exc})
        return None
    if not isinstance(document, dict) or document.get("kaohe_scheme") != FORMAT:
        errors.add(1, "kaohe_scheme", document.get("kaohe_scheme") if isinstance(document, dict) else "",
                   "not_a_scheme_file", _("This is not a kaohe scheme file of format %(format)s.") % {"format": FORMAT})
        return None
    return document


def _known_keys(model, link, row: dict, path: str, errors: _Errors, extra=()) -> bool:
    allowed = {f.name for f in fields_of(model, link)} | {LINE, *extra}
    unknown = sorted(set(row) - allowed)
    for key in unknown:
        errors.add(row.get(LINE), f"{path}.{key}", row[key], "unknown_field", _("There is no such field."))
    return not unknown


def _build(model, link, parent, row: dict, path: str, errors: _Errors, lookups: dict):
    """An unsaved record from one row, or None with every problem recorded."""
    if not isinstance(row, dict):
        errors.add(0, path, row, "not_a_record", _("A record is expected here."))
        return None
    extra = (CHILDREN[model],) if model in CHILDREN else ()
    ok = _known_keys(model, link, row, path, errors, extra)
    values = {link: parent} if link else {}
    for field in fields_of(model, link):
        if field.name not in row:
            continue
        value = _without_lines(row[field.name])
        if field.is_relation and value is not None:
            target = lookups[field.related_model].get(str(value))
            if target is None:
                errors.add(row.get(LINE), f"{path}.{field.name}", value, "unknown_reference",
                           _("No %(what)s with %(key)s %(value)s in the file.") % {
                               "what": field.related_model._meta.verbose_name, "key": REFERENCE[field.related_model],
                               "value": value})
                ok = False
                continue
            value = target
        values[field.name] = value
    obj = model(**values)
    exclude = [link] if link else []
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                errors.add(row.get(LINE), f"{path}.{name}", row.get(name), "invalid", message)
        ok = False
    return obj if ok else None


def _shared(document: dict, errors: _Errors) -> dict:
    """Sections, groups and units the scheme refers to: those of this system by code or name, else created."""
    lookups: dict = {}
    for key, model, _names in SHARED:
        rows = document.get(key) or []
        by = REFERENCE[model]
        found = {}
        for n, row in enumerate(rows):
            path = f"{key}[{n}]"
            if not isinstance(row, dict) or not row.get(by):
                errors.add(row.get(LINE) if isinstance(row, dict) else 0, f"{path}.{by}", "", "required",
                           _("This field is required."))
                continue
            existing = model.objects.filter(**{by: row[by]}).first()
            if existing is None:
                existing = _build(model, None, None, row, path, errors, lookups)
                if existing is not None:
                    existing.save()
            if existing is not None:
                found[str(row[by])] = existing
        lookups[model] = found
    return lookups


def _create_all(scheme: Scheme, document: dict, errors: _Errors, lookups: dict) -> None:
    from_file = {}
    for key, model, link in PARTS:
        if model in REFERENCE:  # indicators refer to each other (parent), rules to them, questions to rules
            lookups[model] = {}
        rows = document.get(key) or []
        if not isinstance(rows, list):
            errors.add(0, key, "", "not_a_list", _("A list of records is expected here."))
            continue
        for n, row in enumerate(_parents_first(model, rows)):
            obj = _build(model, link, scheme, row, f"{key}[{n}]", errors, lookups)
            if obj is None:
                continue
            duplicate = from_file.setdefault(model, set())
            natural = getattr(obj, "code", None) or getattr(obj, "group_id", None)
            if natural in duplicate:
                errors.add(row.get(LINE), f"{key}[{n}]", natural, "duplicate", _("This code appears twice."))
                continue
            duplicate.add(natural)
            obj.save()
            if model in REFERENCE:
                lookups[model][str(getattr(obj, REFERENCE[model]))] = obj
            if model in NESTED:
                child_key, child, child_link = NESTED[model]
                for m, child_row in enumerate(row.get(child_key) or []):
                    made = _build(child, child_link, obj, child_row, f"{key}[{n}].{child_key}[{m}]", errors, lookups)
                    if made is not None:
                        made.save()


def _parents_first(model, rows: list) -> list:
    refers_to_itself = any(f.is_relation and f.related_model is model for f in model._meta.concrete_fields)
    if refers_to_itself and rows and all(isinstance(r, dict) for r in rows):
        return sorted(rows, key=lambda r: str(r.get("code", "")).count("."))
    return rows


def _questionnaires(scheme: Scheme, document: dict, errors: _Errors, lookups: dict) -> None:
    """Each questionnaire as version 1 of the new scheme, its questions on the scheme's rules of the same codes."""
    key, model, link = QUESTIONNAIRES
    child_key, child, child_link = QUESTIONS
    rows = document.get(key) or []
    if not isinstance(rows, list):
        errors.add(0, key, "", "not_a_list", _("A list of records is expected here."))
        return
    codes = set()
    for n, row in enumerate(rows):
        path = f"{key}[{n}]"
        questionnaire = _build(model, link, scheme, row, path, errors, lookups)
        if questionnaire is None:
            continue
        if questionnaire.code in codes:
            errors.add(row.get(LINE), path, questionnaire.code, "duplicate", _("This code appears twice."))
            continue
        codes.add(questionnaire.code)
        questionnaire.save()
        questions = row.get(child_key) or []
        if not isinstance(questions, list):
            errors.add(row.get(LINE), f"{path}.{child_key}", "", "not_a_list", _("A list of records is expected here."))
            continue
        for m, question_row in enumerate(questions):
            made = _build(child, child_link, questionnaire, question_row, f"{path}.{child_key}[{m}]", errors, lookups)
            if made is not None:
                made.save()


def _print_formats(document: dict, errors: _Errors, acting_user) -> None:
    """A format that differs from the one in use here is saved as its next version (the old one stays)."""
    for n, row in enumerate(document.get("print_formats") or []):
        path = f"print_formats[{n}]"
        if not isinstance(row, dict) or not row.get("code"):
            errors.add(row.get(LINE) if isinstance(row, dict) else 0, f"{path}.code", "", "required",
                       _("This field is required."))
            continue
        fields = {name: _without_lines(row[name]) for name in PRINT_FIELDS if name in row and name != "code"}
        unknown = sorted(set(row) - {*PRINT_FIELDS, LINE})
        for key in unknown:
            errors.add(row.get(LINE), f"{path}.{key}", row[key], "unknown_field", _("There is no such field."))
        current = PrintFormat.objects.filter(code=row["code"]).order_by("-version").first()
        if unknown or (current and all(getattr(current, k) == v for k, v in fields.items())):
            continue
        try:
            do_save_print_format(row["code"], acting_user=acting_user, **fields)
        except (Refused, ValidationError) as problem:
            errors.add(row.get(LINE), path, row["code"], getattr(problem, "code", "invalid") or "invalid",
                       str(problem) if isinstance(problem, Refused) else "; ".join(problem.messages))


def do_import_scheme(text: str, *, acting_user) -> Scheme:
    """Create the scheme the file describes; refuses the whole file, naming every problem, if any record is wrong."""
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator edits schemes."))
    errors = _Errors()
    document = _parse(text, errors)
    if document is None:
        raise ImportRejected(errors.found)
    head = document.get("scheme")
    if not isinstance(head, dict):
        raise ImportRejected([RowError(0, "scheme", "", "required", _t("The file has no scheme."))])
    with transaction.atomic():
        if Scheme.objects.filter(code=head.get("code")).exists():
            errors.add(head.get(LINE), "scheme.code", head.get("code"), "scheme_exists",
                       _("%(code)s already exists.") % {"code": head.get("code")})
            raise ImportRejected(errors.found)
        lookups = _shared(document, errors)
        scheme = _build(Scheme, None, None, head, "scheme", errors, lookups)
        if scheme is not None:
            scheme.save()
            _create_all(scheme, document, errors, lookups)
            _questionnaires(scheme, document, errors, lookups)
        _print_formats(document, errors, acting_user)
        if errors.found:  # raising inside the transaction undoes every record made above
            raise ImportRejected(errors.found)
        audit(acting_user, "scheme.import", scheme=scheme, target=scheme,
              after={key: len(document.get(key) or []) for key, _model, _link in [*PARTS, QUESTIONNAIRES]})
    return scheme

