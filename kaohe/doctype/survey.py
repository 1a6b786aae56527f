"""Questionnaires answered by the people a unit serves (问卷调查), without an account.

A questionnaire is data: questions of four kinds, each scored question tied to one criterion (rule) of a
scheme with a weight. Once a version has answers it is frozen; an edit makes the next version and the old
answers keep theirs. A survey asks one questionnaire version about the units of a round and feeds a rating
source of the scheme. Each invited respondent gets one single-use token, of which only a hash is stored.

Anonymity: a response keeps the unit assessed, the invitation group and the day, never the invitation
(so never the token) nor anything about who answered. The invitation only remembers that it was used.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.scoring.spec import Kind

from .appraisal import RatingSource
from .assessment import Round
from .ledger import ImportBatch
from .scheme import POINTS, Rule, Scheme
from .unit import Unit


class QuestionKind(models.TextChoices):
    RATING = "rating", _("rating (1–5, or the scheme's A–D scale)")
    YES_NO = "yes_no", _("yes or no")
    CHOICE = "choice", _("single choice")
    TEXT = "text", _("free text")


class Questionnaire(models.Model):
    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="questionnaires", verbose_name=_("scheme"))
    code = models.SlugField(_("code"), max_length=30)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("Shown above the questions, e.g. why the bureau asks and that answers "
                                         "are anonymous."))
    letters = models.BooleanField(_("rate with the scheme's letters"), default=False,
                                  help_text=_("Rating questions offer the scheme's A–D scale instead of 1–5."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code", "version"],
                                               name="one_questionnaire_version")]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="questions",
                                      verbose_name=_("questionnaire"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.RATING)
    options = models.JSONField(_("options"), default=list, blank=True,
                               help_text=_('Single choice only: [{"label": "…", "points": "100"}, …], points '
                                           "on the 0–100 scale."))
    rule = models.ForeignKey(Rule, models.PROTECT, null=True, blank=True, related_name="questions",
                             verbose_name=_("criterion"), help_text=_("Empty: the answer is not scored."))
    weight = models.DecimalField(_("weight"), default=1, **POINTS)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    def clean(self) -> None:
        if self.rule_id is not None:
            if self.kind == QuestionKind.TEXT:
                raise ValidationError({"rule": _("A free-text answer is not scored: leave the criterion empty.")})
            if self.rule.scheme_id != self.questionnaire.scheme_id or self.rule.kind != Kind.RATING:
                raise ValidationError({"rule": _("Choose a rated criterion of the questionnaire's scheme.")})
        if self.weight is not None and self.weight <= 0:
            raise ValidationError({"weight": _("A weight is more than 0.")})
        if self.kind == QuestionKind.CHOICE:
            self._check_options()

    def _check_options(self) -> None:
        options = self.options if isinstance(self.options, list) else []
        labels = [str(o.get("label", "")).strip() for o in options if isinstance(o, dict)]
        if len(labels) < 2 or len(labels) != len(options) or "" in labels or len(set(labels)) != len(labels):
            raise ValidationError({"options": _("A single choice needs at least two options, each with its own "
                                                "label.")})
        for option in options:
            try:
                points = Decimal(str(option.get("points", "")))
            except InvalidOperation:
                points = None
            if points is None or not points.is_finite() or not 0 <= points <= 100:
                raise ValidationError({"options": _("Each option's points go from 0 to 100 (%(label)s).")
                                       % {"label": option.get("label", "")}})


class Survey(models.Model):
    round = models.ForeignKey(Round, models.PROTECT, related_name="surveys", verbose_name=_("round"))
    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="surveys",
                                      verbose_name=_("questionnaire"))
    source = models.ForeignKey(RatingSource, models.PROTECT, related_name="surveys", verbose_name=_("source fed"))
    name = models.CharField(_("name"), max_length=200)
    closes = models.DateField(_("answers accepted until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("opened by"))
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """One invited respondent: which group and which unit they answer about; the token only as a hash."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="invitations", verbose_name=_("survey"))
    group = models.SlugField(_("invitation group"), max_length=30)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit assessed"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    used = models.BooleanField(_("answered"), default=False)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        indexes = [models.Index(fields=["survey", "unit", "group"], name="invitation_by_unit")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.survey} · {self.unit} · {self.group}"


class Response(models.Model):
    """One returned questionnaire, online or on paper: no link to its invitation, no respondent identity."""

    VIA = [("web", _("online")), ("paper", _("paper"))]

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses", verbose_name=_("survey"))
    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="responses",
                                      verbose_name=_("questionnaire version"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit assessed"))
    group = models.SlugField(_("invitation group"), max_length=30)
    date = models.DateField(_("received on"))
    via = models.CharField(_("received"), max_length=5, choices=VIA, default="web")
    batch = models.ForeignKey(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("import batch"))

    class Meta:
        app_label = "kaohe"
        indexes = [models.Index(fields=["survey", "unit"], name="response_by_unit")]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey} · {self.unit} · {self.group}"


class Answer(models.Model):
    response = models.ForeignKey(Response, models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, models.PROTECT, related_name="answers", verbose_name=_("question"))
    choice = models.CharField(_("answer"), max_length=100, blank=True)  # "4", "B", "yes", an option's label
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("comment"), blank=True)

    class Meta:
        app_label = "kaohe"
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice or self.text[:20]}"


class SurveyScore(models.Model):
    """One response's value on one criterion (0–100): the weighted mean of its scored answers to that criterion.

    Summed per (unit, criterion, source, group) these are the survey's rating tallies.
    """

    response = models.ForeignKey(Response, models.CASCADE, related_name="scores", verbose_name=_("response"))
    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="+", verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit assessed"))
    rule = models.ForeignKey(Rule, models.PROTECT, related_name="+", verbose_name=_("criterion"))
    source = models.ForeignKey(RatingSource, models.PROTECT, related_name="+", verbose_name=_("source"))
    group = models.SlugField(_("invitation group"), max_length=30)
    date = models.DateField(_("received on"))
    value = models.DecimalField(_("points"), max_digits=7, decimal_places=2)

    class Meta:
        app_label = "kaohe"
        indexes = [models.Index(fields=["scheme", "unit", "rule", "source", "group", "date", "value"],
                                name="survey_score_cover")]
        verbose_name = _("survey score")
        verbose_name_plural = _("survey scores")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.rule_id} {self.group}: {self.value}"
