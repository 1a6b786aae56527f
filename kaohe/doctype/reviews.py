"""Rating and reviewing in the Desk: who rates whom in a round (with the draft they are writing), and the
monthly progress an MBO task's owner reports with the direct superior's review of it.

A submitted assignment becomes ordinary ``Rating`` rows (the engine reads nothing else); an accepted review
becomes the ``Measurement`` of its month, so the year-end roll-up counts reviewed progress only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .appraisal import Measurement, RaterGroup
from .scheme import Rule
from .unit import Unit


class RatingAssignment(models.Model):
    """One rater rates one person for one rater group in one round; a self-appraisal is the ``self`` group."""

    round = models.ForeignKey("kaohe.Round", models.CASCADE, related_name="rating_assignments",
                              verbose_name=_("round"))
    group = models.ForeignKey(RaterGroup, models.PROTECT, related_name="assignments", verbose_name=_("rater group"))
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="rating_assignments",
                              verbose_name=_("rater"))
    ratee = models.ForeignKey(Unit, models.PROTECT, related_name="rating_assignments", verbose_name=_("rated"))
    draft = models.JSONField(_("draft"), default=dict, blank=True,
                             help_text=_("criterion code → {rating, note}, until submitted"))
    saved_at = models.DateTimeField(_("draft saved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["round", "group", "ratee__name"]
        constraints = [models.UniqueConstraint(fields=["round", "group", "rater", "ratee"],
                                               name="one_assignment_per_rater")]
        verbose_name = _("rating assignment")
        verbose_name_plural = _("rating assignments")

    def __str__(self) -> str:
        return f"{self.round} · {self.group.name} · {self.ratee}"


class ProgressReport(models.Model):
    """An owner's monthly report on one task: the cumulative actual, evidence and a comment."""

    rule = models.ForeignKey(Rule, models.PROTECT, related_name="progress_reports", verbose_name=_("task"))
    month = models.DateField(_("month"), help_text=_("The last day of the month reported on."))
    actual = models.DecimalField(_("actual"), max_digits=20, decimal_places=4)
    evidence = models.FileField(_("evidence"), upload_to="progress/%Y/%m/", blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["rule", "month"]
        constraints = [models.UniqueConstraint(fields=["rule", "month"], name="one_report_per_task_month")]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.rule.code} {self.month:%Y-%m}: {self.actual}"


class ProgressReview(models.Model):
    """The direct superior's monthly review of a report: a comment, a rating, and whether the actual stands."""

    report = models.OneToOneField(ProgressReport, models.CASCADE, related_name="review", verbose_name=_("report"))
    accepted = models.BooleanField(_("actual accepted"), default=True)
    rating = models.CharField(_("rating"), max_length=2, blank=True)
    value = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                 verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now=True)
    measurement = models.ForeignKey(Measurement, models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("measurement"))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        verbose_name = _("progress review")
        verbose_name_plural = _("progress reviews")

    def __str__(self) -> str:
        return f"{self.report} · {self.rating or self.value}"
