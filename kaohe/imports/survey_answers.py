"""What a respondent's answer means, the same online and on paper, and the file of paper questionnaires.

Points are on the scheme's 0–100 scale: a rating of 1–5 is worth 20 points a step (5 → 100), a letter
the scheme's scale (A 95, B 85 …), yes 100 and no 0, a single choice its option's points. Free text is kept
as written and never scored.

Paper file (xlsx or csv): one row per returned form, either ``token`` or ``group`` + ``unit``, then one column
per question named by its number (``1``, ``2`` …, the question's order) — the way the sheet is typed from the
printed form. All or nothing: a file with any bad row imports nothing, every bad row named.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .errors import ImportRejected, RowError
from .fields import CellError, fold
from .reader import read_table

STEP = Decimal(20)
YES = {"yes", "y", "是", "有", "√", "1", "true"}
NO = {"no", "n", "否", "无", "×", "0", "false"}
TEXT_MAX = 2000


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 (a token is 32 random bytes, so no slower hash is needed)."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Parsed:
    choice: str = ""
    points: Decimal | None = None
    text: str = ""


def parse_answer(question, raw: str, scale: dict[str, str]) -> Parsed | None:
    """The answer to ``question`` from what was typed or ticked; None when left empty. Raises CellError."""
    text = (raw or "").strip()
    if not text:
        return None
    kind = question.kind
    if kind == "text":
        if len(text) > TEXT_MAX:
            raise CellError("too_long", _("at most %(n)s characters") % {"n": TEXT_MAX})
        return Parsed(text=text)
    value = fold(text)
    if kind == "yes_no":
        if value.lower() in YES:
            return Parsed("yes", Decimal(100))
        if value.lower() in NO:
            return Parsed("no", Decimal(0))
        raise CellError("bad_answer", _("answer yes or no"))
    if kind == "choice":
        for option in question.options or []:
            if fold(str(option.get("label", ""))) == value:
                points = option.get("points")
                return Parsed(str(option["label"]), None if points in (None, "") else Decimal(str(points)))
        raise CellError("bad_answer", _("expected one of %(expected)s") % {
            "expected": ", ".join(str(o.get("label", "")) for o in question.options or [])})
    letters = {k.upper(): v for k, v in scale.items()}
    if question.questionnaire.letters and letters:
        if value.upper() in letters:
            return Parsed(value.upper(), Decimal(letters[value.upper()]))
        raise CellError("bad_answer", _("expected one of %(expected)s") % {"expected": "/".join(letters)})
    if value in {"1", "2", "3", "4", "5"}:
        return Parsed(value, STEP * int(value))
    raise CellError("bad_answer", _("a rating from 1 to 5"))


def parse_answers(questions, raw: dict[int, str], scale: dict[str, str]) -> tuple[dict, dict[int, str]]:
    """question id → Parsed for every answered question, and question id → why, for every problem."""
    answers, errors = {}, {}
    for question in questions:
        try:
            parsed = parse_answer(question, raw.get(question.pk, ""), scale)
        except CellError as exc:
            errors[question.pk] = str(exc)
            continue
        if parsed is None:
            if question.required:
                errors[question.pk] = str(_("please answer this question"))
            continue
        answers[question.pk] = parsed
    return answers, errors


@dataclass(frozen=True)
class PaperForm:
    line: int
    unit_id: int
    group: str
    invitation_id: int | None
    answers: dict


def validate_paper_forms(data: bytes, filename: str, survey, *, invitations: dict[str, tuple[int, int, str, bool]],
                         units: dict[str, int], groups: set[str]) -> list[PaperForm]:
    """``invitations``: token hash → (invitation id, unit id, group, used); ``units``: name → id of the units
    the survey asks about; ``groups``: the invitation groups."""
    questions = list(survey.questionnaire.questions.select_related("questionnaire"))
    columns = [str(q.order) for q in questions]
    table = read_table(data, filename, [], ["token", "group", "unit", *columns])
    scale = survey.round.scheme.rating_scale
    errors: list[RowError] = []
    forms, tokens_seen = [], {}
    for line, cells in table.rows:
        bad = len(errors)

        def fail(column: str, code: str, message: str, cells=cells, line=line) -> None:
            errors.append(RowError(line, column, cells.get(column, ""), code, message))

        token = (cells.get("token") or "").strip()
        invitation_id, unit_id, group = None, None, ""
        if token:
            found = invitations.get(token_hash(token))
            if found is None:
                fail("token", "unknown_token", _("not an invitation of this survey"))
            elif found[3]:
                fail("token", "token_used", _("this invitation has already been answered"))
            elif token in tokens_seen:
                fail("token", "token_twice", _("the same invitation as line %(line)s") % {"line": tokens_seen[token]})
            else:
                tokens_seen[token] = line
                invitation_id, unit_id, group = found[0], found[1], found[2]
        else:
            group = fold(cells.get("group", ""))
            if group not in groups:
                fail("group", "unknown_group" if group else "required",
                     _("expected one of %(expected)s") % {"expected": ", ".join(sorted(groups))})
            unit_id = units.get(fold(cells.get("unit", "")))
            if unit_id is None:
                fail("unit", "unknown_unit" if cells.get("unit") else "required",
                     _("not a unit this survey asks about"))
        answers, problems = parse_answers(questions, {q.pk: cells.get(str(q.order), "") for q in questions}, scale)
        for question in questions:
            if question.pk in problems:
                fail(str(question.order), "bad_answer", problems[question.pk])
        if len(errors) == bad:
            forms.append(PaperForm(line, unit_id, group, invitation_id, answers))
    if errors:
        raise ImportRejected(errors)
    return forms
