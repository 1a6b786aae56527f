"""Surveys: writing a questionnaire, opening a survey, inviting respondents (one single-use token each), answers
online and on paper, and new questionnaire versions. An answer keeps the unit, the invitation group and the day,
nothing about who answered; the invitation is only marked used."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.imports.fields import fingerprint
from kaohe.imports.outcome import ImportOutcome
from kaohe.imports.survey_answers import Parsed, parse_answers, token_hash, validate_paper_forms
from kaohe.models import (
    Answer,
    ImportBatch,
    Invitation,
    Question,
    Questionnaire,
    RatingSource,
    Response,
    Round,
    Rule,
    Survey,
    SurveyScore,
)
from kaohe.permissions import can_edit_scheme, can_manage_surveys
from kaohe.refusals import NotAllowed, Refused
from kaohe.scoring.survey import criterion_values
from kaohe.services.scoring import month_end
from kaohe.services.surveys import invitation_groups, survey_units
from kaohe.workflow.states import RoundState

from .audit import audit
from .locks import LockBook, alone

MAX_INVITATIONS = 2000  # in one request: each is a page of the printed sheets


class AnswersRejected(Refused):
    """Some answers cannot be accepted; ``errors`` maps each question id to its sentence."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("answers_rejected", _("Some answers need attention; nothing was saved."))
        self.errors = errors


def _check_manager(acting_user) -> None:
    if not can_manage_surveys(acting_user):
        raise NotAllowed("not_allowed_surveys", _("Only the administrator or the collecting section runs surveys."))


@dataclass(frozen=True)
class QuestionSpec:
    """One question to write: ``criterion`` is the code of the rated rule it scores (empty: not scored)."""

    text: str
    kind: str = "rating"
    criterion: str = ""
    weight: Decimal = Decimal(1)
    required: bool = True
    options: tuple[dict, ...] = ()


@transaction.atomic
def do_create_questionnaire(scheme, *, code: str, name: str, questions: list[QuestionSpec], intro: str = "",
                            letters: bool = False, acting_user) -> Questionnaire:
    """A new questionnaire of ``scheme``, version 1, its questions numbered in the order given."""
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator changes this."))
    if Questionnaire.objects.filter(scheme=scheme, code=code).exists():
        raise Refused("questionnaire_exists", _("%(scheme)s already has a questionnaire %(code)s."),
                      scheme=scheme.code, code=code)
    if not questions:
        raise Refused("questionnaire_empty", _("The questionnaire %(name)s has no questions."), name=name)
    rules = {r.code: r for r in scheme.rules.all()}
    made = Questionnaire.objects.create(scheme=scheme, code=code, name=name, intro=intro, letters=letters)
    for order, spec in enumerate(questions, 1):
        rule = rules.get(spec.criterion) if spec.criterion else None
        if spec.criterion and rule is None:
            raise Refused("unknown_criterion", _("%(criterion)s is not a criterion of %(scheme)s."),
                          criterion=spec.criterion, scheme=scheme.code)
        question = Question(questionnaire=made, order=order, text=spec.text, kind=spec.kind, rule=rule,
                            weight=spec.weight, required=spec.required, options=list(spec.options))
        try:
            question.full_clean()
        except ValidationError as exc:
            raise Refused("bad_question", _("Question %(n)s: %(why)s"), n=order,
                          why=" ".join(exc.messages)) from None
        question.save()
    audit(acting_user, "questionnaire.create", scheme=scheme, target=made,
          after={"code": code, "questions": len(questions)})
    return made


@transaction.atomic
def do_open_survey(round_: Round, questionnaire: Questionnaire, source: RatingSource, *, name: str,
                   closes: date | None = None, acting_user) -> Survey:
    _check_manager(acting_user)
    scheme = round_.scheme
    if questionnaire.scheme_id != scheme.pk or source.scheme_id != scheme.pk:
        raise Refused("survey_other_scheme", _("The questionnaire and the source must belong to %(scheme)s."),
                      scheme=scheme.name)
    if not source.survey:
        raise Refused("source_not_survey", _("The source %(source)s is not fed by a survey."), source=source.name)
    if round_.state != RoundState.OPEN:
        raise Refused("round_not_open", _("The round %(round)s is no longer open."), round=round_.name)
    if not questionnaire.questions.exists():
        raise Refused("questionnaire_empty", _("The questionnaire %(name)s has no questions."),
                      name=questionnaire.name)
    survey = Survey.objects.create(round=round_, questionnaire=questionnaire, source=source,
                                   name=name.strip() or questionnaire.name, closes=closes, created_by=acting_user)
    audit(acting_user, "survey.open", scheme=scheme, target=survey,
          after={"questionnaire": str(questionnaire), "source": source.code})
    return survey


@dataclass(frozen=True)
class Issued:
    group: str
    unit: str
    token: str  # the only moment it exists in clear: printed on the invitation, never stored


@transaction.atomic
def do_invite(survey: Survey, wanted: list[tuple[str, int, int]], *, acting_user) -> list[Issued]:
    """``wanted``: (group code, unit id, how many respondents). Returns each new token once."""
    _check_manager(acting_user)
    groups = invitation_groups(survey.source)
    units = {u.pk: u for u in survey_units(survey)}
    total = sum(n for _g, _u, n in wanted)
    if total <= 0:
        raise Refused("no_invitations", _("Say how many respondents to invite."))
    if total > MAX_INVITATIONS:
        raise Refused("too_many_invitations", _("At most %(n)s invitations at a time."), n=MAX_INVITATIONS)
    issued, rows = [], []
    for group, unit_id, count in wanted:
        if group not in groups:
            raise Refused("unknown_group", _("%(group)s is not an invitation group of %(source)s."),
                          group=group, source=survey.source.name)
        unit = units.get(unit_id)
        if unit is None:
            raise Refused("unit_not_in_survey", _("This survey does not ask about that unit."))
        for _n in range(count):
            token = secrets.token_urlsafe(24)
            rows.append(Invitation(survey=survey, group=group, unit=unit, token_hash=token_hash(token)))
            issued.append(Issued(group, unit.name, token))
    Invitation.objects.bulk_create(rows)
    audit(acting_user, "survey.invite", scheme=survey.round.scheme, target=survey, after={"invitations": total})
    return issued


def _check_taking_answers(survey: Survey, unit_id: int, rules: list[Rule], day: date) -> None:
    closed = Refused("survey_closed", _("This survey is no longer taking answers. Thank you all the same."))
    if survey.round.state != RoundState.OPEN or (survey.closes is not None and day > survey.closes):
        raise closed
    locks = LockBook(survey.round.scheme)
    if locks.empty:
        return
    for rule in rules:
        node = rule.indicator
        while node is not None and node.section_id is None:
            node = node.parent
        if locks.for_row(unit_id, node.section_id if node else None, _scored_on(survey)) is not None:
            raise closed  # the result this answer feeds is signed: a respondent needs no more than that


def _scored_on(survey: Survey) -> date:
    """The date the answers count from: the end of the round's period, as for ratings given in the Desk, so an
    answer that arrives after the period still counts in the round it was asked for."""
    return month_end(survey.round.as_of)


def _write_response(survey: Survey, questions: list[Question], unit_id: int, group: str, answers: dict[int, Parsed],
                    day: date, via: str, batch=None) -> Response:
    response = Response.objects.create(survey=survey, questionnaire=survey.questionnaire, unit_id=unit_id,
                                       group=group, date=day, via=via, batch=batch)
    by_id = {q.pk: q for q in questions}
    Answer.objects.bulk_create([Answer(response=response, question_id=qid, choice=a.choice, points=a.points,
                                       text=a.text) for qid, a in answers.items()])
    values = criterion_values((by_id[qid].rule_id, by_id[qid].weight, a.points) for qid, a in answers.items()
                              if by_id[qid].rule_id is not None and a.points is not None)
    SurveyScore.objects.bulk_create([
        SurveyScore(response=response, scheme_id=survey.round.scheme_id, unit_id=unit_id, rule_id=rule_id,
                    source_id=survey.source_id, group=group, date=_scored_on(survey), value=value)
        for rule_id, value in values.items()])
    return response


def _scored_rules(questions: list[Question]) -> list[Rule]:
    ids = {q.rule_id for q in questions if q.rule_id}
    return list(Rule.objects.filter(pk__in=ids).select_related("indicator__parent"))


INVALID = _("This link is not valid. Please check it against your invitation.")


@transaction.atomic
def do_answer_survey(token: str, raw: dict[int, str], *, today: date | None = None) -> Response:
    """A respondent's answers through their invitation's link; the token then answers nothing more."""
    invitation = Invitation.objects.select_for_update(**alone()).filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise Refused("invalid_token", INVALID)
    if invitation.used:
        raise Refused("token_used", _("This invitation has already been answered. Thank you."))
    survey = Survey.objects.select_related("round__scheme", "questionnaire", "source").get(pk=invitation.survey_id)
    questions = list(survey.questionnaire.questions.select_related("questionnaire"))
    day = today or timezone.localdate()
    _check_taking_answers(survey, invitation.unit_id, _scored_rules(questions), day)
    answers, errors = parse_answers(questions, raw, survey.round.scheme.rating_scale)
    if errors:
        raise AnswersRejected(errors)
    response = _write_response(survey, questions, invitation.unit_id, invitation.group, answers, day, "web")
    invitation.used = True
    invitation.save(update_fields=["used"])
    audit(None, "survey.answer", scheme=survey.round.scheme, target=survey, after={"answers": len(answers)})
    return response


@transaction.atomic
def do_import_paper_forms(data: bytes, filename: str, survey: Survey, *, acting_user,
                          today: date | None = None) -> ImportOutcome:
    """Returned paper questionnaires, one row each: all or nothing, every bad row named."""
    _check_manager(acting_user)
    survey = Survey.objects.select_related("round__scheme", "questionnaire", "source").get(pk=survey.pk)
    invitations = {h: (pk, unit, group, used) for pk, h, unit, group, used in Invitation.objects.select_for_update(
        **alone()).filter(survey=survey).values_list("id", "token_hash", "unit_id", "group", "used")}
    units = {u.name: u.pk for u in survey_units(survey)}
    forms = validate_paper_forms(data, filename, survey, invitations=invitations, units=units,
                                 groups=set(invitation_groups(survey.source)))
    questions = list(survey.questionnaire.questions.select_related("questionnaire"))
    rules = _scored_rules(questions)
    day = today or timezone.localdate()
    problems = []
    for form in forms:
        try:
            _check_taking_answers(survey, form.unit_id, rules, day)
        except Refused as refusal:
            problems.append(RowError(form.line, "unit", "", refusal.code, str(refusal)))
    if problems:
        raise ImportRejected(problems)
    batch = ImportBatch.objects.create(
        kind="survey_answers", scheme=survey.round.scheme, filename=filename, row_count=len(forms),
        created_by=acting_user, fingerprint=fingerprint("survey_answers", str(survey.pk), [
            (f.unit_id, f.group, sorted((q, a.choice, a.text) for q, a in f.answers.items())) for f in forms]))
    for form in forms:
        _write_response(survey, questions, form.unit_id, form.group, form.answers, day, "paper", batch)
    Invitation.objects.filter(pk__in=[f.invitation_id for f in forms if f.invitation_id]).update(used=True)
    audit(acting_user, "survey.import", scheme=survey.round.scheme, target=batch,
          after={"file": filename, "forms": len(forms)})
    return ImportOutcome("survey_answers", len(forms), batch.pk, len(forms))


def has_answers(questionnaire: Questionnaire) -> bool:
    return Response.objects.filter(questionnaire=questionnaire).exists()


@transaction.atomic
def do_new_questionnaire_version(questionnaire: Questionnaire, *, acting_user) -> Questionnaire:
    """The next version, a copy to edit; the answered one stays as it was, with its answers."""
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator changes this."))
    newest = Questionnaire.objects.filter(scheme=questionnaire.scheme, code=questionnaire.code).order_by(
        "-version").first()
    copy = Questionnaire.objects.create(scheme=questionnaire.scheme, code=questionnaire.code,
                                        version=newest.version + 1, name=questionnaire.name,
                                        intro=questionnaire.intro, letters=questionnaire.letters)
    Question.objects.bulk_create([
        Question(questionnaire=copy, order=q.order, text=q.text, kind=q.kind, options=q.options, rule_id=q.rule_id,
                 weight=q.weight, required=q.required) for q in questionnaire.questions.all()])
    audit(acting_user, "questionnaire.version", scheme=questionnaire.scheme, target=copy,
          after={"from": questionnaire.version, "to": copy.version})
    return copy
