"""A key project's evaluation (服务重点项目考核): the on-site reviews in its ledger and the panel's written
findings for the evaluation report (评估报告).

On-site reviews are ledger records: written once through ``kaohe.actions.evaluation``, never changed (a
wrong record is answered by a later one). The panel's findings are one text per round and project, edited
until the round closes, with their history kept.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .assessment import Round
from .scheme import Scheme
from .unit import Unit


class SiteReview(models.Model):
    """进行现场考核: when the panel went, who went, what they saw and heard."""

    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="site_reviews", verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="site_reviews", verbose_name=_("unit"))
    date = models.DateField(_("date"))
    evaluators = models.CharField(_("evaluators"), max_length=300)
    observed = models.TextField(_("what was observed"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "unit", "date", "id"]
        verbose_name = _("on-site review")
        verbose_name_plural = _("on-site reviews")

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


class SiteReviewFile(models.Model):
    """A photo, minutes or checklist taken at an on-site review."""

    review = models.ForeignKey(SiteReview, models.PROTECT, related_name="files", verbose_name=_("on-site review"))
    file = models.FileField(_("file"), upload_to="site-reviews/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        verbose_name = _("on-site review file")
        verbose_name_plural = _("on-site review files")

    def __str__(self) -> str:
        return self.original_name


class PanelFindings(models.Model):
    """What the evaluation panel writes into a project's report: findings, problems, improvement suggestions."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="findings", verbose_name=_("round"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="findings", verbose_name=_("unit"))
    findings = models.TextField(_("findings"))
    problems = models.TextField(_("problems"), blank=True)
    suggestions = models.TextField(_("improvement suggestions"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("written by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="one_findings_per_unit_round")]
        verbose_name = _("panel findings")
        verbose_name_plural = _("panel findings")

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"
