"""A survey's results, as the bureau and as one assessed unit see them: response rates, each question's
distribution, criterion scores per invitation group, and the comments — never who answered.

Comments are listed in alphabetical order, not in the order they arrived, so their order says nothing about
when (or by which invitation) they were written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kaohe.models import Answer, Invitation, Questionnaire, RatingSource, Response, Scheme, Survey, SurveyScore, Unit

from .ranking import round_unit_names

CENT = Decimal("0.01")
ANYONE = "all"  # the invitation group of a survey source without rater groups


def invitation_groups(source: RatingSource) -> dict[str, str]:
    """code → name of the groups a survey source invites (one group for everyone when it names none)."""
    groups = dict(source.groups.values_list("code", "name"))
    return groups or {ANYONE: str(_("respondents"))}


def questionnaires_in_use(scheme: Scheme) -> list[Questionnaire]:
    """The newest version of each of a scheme's questionnaires, by code: the one a new survey would ask."""
    newest: dict[str, Questionnaire] = {}
    for questionnaire in Questionnaire.objects.filter(scheme=scheme).order_by("code", "version"):
        newest[questionnaire.code] = questionnaire
    return list(newest.values())


def survey_units(survey: Survey) -> list[Unit]:
    """The units the survey asks about: those of its round."""
    names = round_unit_names(survey.round)
    groups = survey.round.scheme.groups.values_list("group_id", flat=True)
    found = Unit.objects.filter(active=True, group_id__in=groups)
    if names is not None:
        found = found.filter(name__in=names)
    return list(found.order_by("name"))


@dataclass
class UnitRate:
    unit: str
    unit_id: int
    invited: int
    answered: int  # invitations used (online or by token on paper)
    responses: int  # every returned form, paper forms without a token included

    @property
    def rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return (Decimal(100) * self.answered / self.invited).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class QuestionResult:
    order: int
    text: str
    kind: str
    criterion: str
    answered: int
    counts: list[tuple[str, int]] = field(default_factory=list)  # choice → how many, in the scale's order
    mean: Decimal | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class CriterionScore:
    unit: str
    criterion: str
    criterion_name: str
    group: str
    group_name: str
    responses: int
    minimum: int
    mean: Decimal

    @property
    def counts(self) -> bool:
        return self.responses >= self.minimum


@dataclass
class SurveyResults:
    survey: Survey
    rates: list[UnitRate]
    questions: list[QuestionResult]
    criteria: list[CriterionScore]


def _choice_order(question, scale: dict) -> list[str]:
    if question.kind == "yes_no":
        return ["yes", "no"]
    if question.kind == "choice":
        return [str(o.get("label", "")) for o in question.options or []]
    if question.kind == "rating":
        return [k.upper() for k in scale] if question.questionnaire.letters and scale else ["5", "4", "3", "2", "1"]
    return []


def survey_results(survey: Survey, units_seen: frozenset[int] | None) -> SurveyResults:
    """``units_seen``: None for every unit, else only these units' answers count anywhere on the page."""
    names = {u.pk: u.name for u in survey_units(survey) if units_seen is None or u.pk in units_seen}
    invited = Counter(dict(Invitation.objects.filter(survey=survey, unit_id__in=names).values("unit_id")
                           .annotate(n=Count("id")).values_list("unit_id", "n")))
    used = Counter(dict(Invitation.objects.filter(survey=survey, unit_id__in=names, used=True).values("unit_id")
                        .annotate(n=Count("id")).values_list("unit_id", "n")))
    returned = Counter(dict(Response.objects.filter(survey=survey, unit_id__in=names).values("unit_id")
                            .annotate(n=Count("id")).values_list("unit_id", "n")))
    rates = [UnitRate(name, pk, invited[pk], used[pk], returned[pk])
             for pk, name in sorted(names.items(), key=lambda item: item[1])]
    scheme = survey.round.scheme
    questions = []
    answers = Answer.objects.filter(response__survey=survey, response__unit_id__in=names)
    for question in survey.questionnaire.questions.select_related("rule", "questionnaire"):
        mine = answers.filter(question=question)
        result = QuestionResult(question.order, question.text, question.kind,
                                question.rule.code if question.rule else "", mine.count())
        if question.kind == "text":
            result.comments = sorted(mine.exclude(text="").values_list("text", flat=True))
        else:
            given = list(mine.values_list("choice", "points"))
            counted = Counter(choice for choice, _p in given)
            order = _choice_order(question, scheme.rating_scale)
            result.counts = [(choice, counted.get(choice, 0)) for choice in order]
            points = [p for _c, p in given if p is not None]
            if points:
                result.mean = (sum(points, Decimal(0)) / len(points)).quantize(CENT, ROUND_HALF_UP)
        questions.append(result)
    return SurveyResults(survey, rates, questions, _criteria(survey, names))


def _criteria(survey: Survey, names: dict[int, str]) -> list[CriterionScore]:
    groups = {g.code: g for g in survey.source.groups.all()}
    rules = dict(survey.round.scheme.rules.values_list("id", "code"))
    rule_names = dict(survey.round.scheme.rules.values_list("id", "name"))
    sums: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    for unit_id, rule_id, group, value in SurveyScore.objects.filter(
            response__survey=survey, unit_id__in=names).values_list("unit_id", "rule_id", "group", "value"):
        entry = sums[(unit_id, rule_id, group)]
        entry[0] += 1
        entry[1] += value
    found = []
    for (unit_id, rule_id, group), (count, total) in sums.items():
        spec = groups.get(group)
        found.append(CriterionScore(names[unit_id], rules[rule_id], rule_names[rule_id], group,
                                    spec.name if spec else group, count, spec.min_raters if spec else 1,
                                    (total / count).quantize(CENT, ROUND_HALF_UP)))
    return sorted(found, key=lambda c: (c.unit, c.criterion, c.group))
