"""Weighted schemes: rating sources and rater groups, grades, ratings, measured values, improvement plans.

Ratings are private to their rater: the engine and every page a ratee sees use only counts and sums
per rater group; the rater is kept so that each person can see the ratings they gave.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .ledger import ImportBatch
from .scheme import POINTS, Rule, Scheme
from .unit import Unit

CALENDARS = [("quarterly", _("quarterly")), ("half_yearly", _("half-yearly")), ("annual", _("annual")),
             ("random", _("at random"))]


class RatingSource(models.Model):
    """Where ratings come from (季度考核, 客户满意度调查, 360度评估, 随机抽查, 自评与上级评估)."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="sources", verbose_name=_("scheme"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), **POINTS)
    calendar = models.CharField(_("calendar"), max_length=20, choices=CALENDARS, default="annual")
    criteria = models.JSONField(_("criteria rated"), default=list, blank=True,
                                help_text=_("Rule codes this source rates; empty: every rating rule."))
    survey = models.BooleanField(_("fed by a survey"), default=False,
                                 help_text=_("Its ratings are the answers to a questionnaire; its rater groups are "
                                             "the invitation groups and their minimum is the fewest responses "
                                             "that count."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="source_code_per_scheme")]
        verbose_name = _("rating source")
        verbose_name_plural = _("rating sources")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RaterGroup(models.Model):
    """A group of raters within a source (直接上级, 同事, 下属), with its weight and minimum head count."""

    source = models.ForeignKey(RatingSource, models.CASCADE, related_name="groups", verbose_name=_("source"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), **POINTS)
    min_raters = models.PositiveSmallIntegerField(_("minimum raters"), default=1)
    deadline = models.DateField(_("ratings due"), null=True, blank=True,
                                help_text=_("The last day raters of this group may submit in the Desk."))
    note_below = models.DecimalField(_("note required below"), max_digits=7, decimal_places=2, null=True,
                                     blank=True, help_text=_("A rating under these points needs a note; "
                                                             "empty: a note is never required."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["source", "order"]
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="rater_group_per_source")]
        verbose_name = _("rater group")
        verbose_name_plural = _("rater groups")

    def __str__(self) -> str:
        return f"{self.source.code}/{self.code}"


class Grade(models.Model):
    """A grade band (优秀/良好/合格/不合格) with an optional quota per group."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="grades", verbose_name=_("scheme"))
    code = models.CharField(_("grade"), max_length=20)
    min_score = models.DecimalField(_("from score"), **POINTS)
    quota = models.DecimalField(_("quota"), max_digits=5, decimal_places=4, null=True, blank=True,
                                help_text=_("Largest share of a group, e.g. 0.20; empty: no quota."))
    needs_plan = models.BooleanField(_("needs an improvement plan"), default=False)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="grade_code_per_scheme")]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.quota is not None and not 0 < self.quota <= 1:
            raise ValidationError({"quota": _("A quota is a share between 0 and 1.")})


class Rating(models.Model):
    """One rater's rating of one subject on one criterion, for one source and period."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="ratings", verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="ratings", verbose_name=_("rated"))
    rule = models.ForeignKey(Rule, models.PROTECT, related_name="ratings", verbose_name=_("criterion"))
    source = models.ForeignKey(RatingSource, models.PROTECT, related_name="ratings", verbose_name=_("source"))
    rater_group = models.SlugField(_("rater group"), max_length=30, default="all")
    rater = models.CharField(_("rater"), max_length=150,
                             help_text=_("A user name, or any stable key (a customer survey number)."))
    period = models.CharField(_("period"), max_length=10, help_text=_("2026, 2026-H1, 2026-Q2 or 2026-05"))
    date = models.DateField(_("date"))
    value = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    letter = models.CharField(_("rating"), max_length=2, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Seen by the rater and the administrator only."))
    batch = models.ForeignKey(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("import batch"))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        constraints = [models.UniqueConstraint(
            fields=["scheme", "unit", "rule", "source", "rater_group", "rater", "period"],
            name="one_rating_per_rater_period")]
        indexes = [
            # Covers the scoring GROUP BY (unit, rule, source, group).
            models.Index(fields=["scheme", "unit", "rule", "source", "rater_group", "date", "value"],
                         name="rating_scoring_cover"),
            models.Index(fields=["scheme", "rater"], name="rating_by_rater"),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.unit} {self.rule.code} {self.source.code}/{self.rater_group} {self.value}"


class Measurement(models.Model):
    """A measured value as of a date: a department's KPI actual (with its target) or an objective's progress.

    The latest value as of the assessment date counts; objectives leave ``unit`` empty.
    """

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="measurements", verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="measurements",
                             verbose_name=_("unit"))
    rule = models.ForeignKey(Rule, models.PROTECT, related_name="measurements", verbose_name=_("indicator"))
    date = models.DateField(_("as of"))
    actual = models.DecimalField(_("actual"), max_digits=20, decimal_places=4)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    batch = models.ForeignKey(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("import batch"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "rule", "date"]
        constraints = [models.UniqueConstraint(fields=["scheme", "unit", "rule", "date"],
                                               name="one_measurement_per_date")]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.unit or ''} {self.rule.code} {self.date}: {self.actual}".strip()


class ImprovementPlan(models.Model):
    """不合格 → 改进计划: what will be done, by whom, by when, and what came of it."""

    round = models.ForeignKey("kaohe.Round", models.CASCADE, related_name="plans", verbose_name=_("round"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="plans", verbose_name=_("person"))
    actions = models.TextField(_("actions"))
    owner = models.CharField(_("owner"), max_length=100)
    due = models.DateField(_("due"))
    follow_up = models.TextField(_("follow-up result"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("written by"))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="one_plan_per_person_round")]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"
