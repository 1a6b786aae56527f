"""Print formats as data, what was printed with which version, and batch jobs of printed documents.

A format is edited by saving a new version (``kaohe.actions.printing.do_save_print_format``); the
newest version of a code is the one in use, and every older one stays, because a printed document
records the exact version that laid it out.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.workflow.models import Signature

from .assessment import Round


class Subject(models.TextChoices):
    """What a format prints: the context a read service builds for it."""

    UNIT_RESULT = "unit_result", _("one unit's result")
    ROUND_RANKING = "round_ranking", _("a round's ranking")
    SECTION_SHEET = "section_sheet", _("one section's sheet")
    APPRAISAL_FORM = "appraisal_form", _("one appraisee's form")
    SURVEY_INVITATION = "survey_invitation", _("a survey's invitation sheets")
    EVALUATION_REPORT = "evaluation_report", _("one project's evaluation report")


PER_UNIT = {Subject.UNIT_RESULT, Subject.APPRAISAL_FORM, Subject.EVALUATION_REPORT, Subject.SECTION_SHEET}


class PrintFormat(models.Model):
    PAGE_SIZES = [("A4", "A4"), ("A3", "A3"), ("B5", "B5"), ("A5", "A5"), ("letter", "Letter")]
    ORIENTATIONS = [("portrait", _("portrait")), ("landscape", _("landscape"))]

    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    template = models.TextField(_("template (Jinja2)"))
    css = models.TextField(_("CSS"), blank=True)
    page_size = models.CharField(_("page size"), max_length=10, choices=PAGE_SIZES, default="A4")
    orientation = models.CharField(_("orientation"), max_length=10, choices=ORIENTATIONS, default="portrait")
    letterhead = models.CharField(_("letterhead text"), max_length=300, blank=True)
    letterhead_image = models.TextField(_("letterhead image (data: URI)"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("saved by"))
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_print_format_version")]
        verbose_name = _("print format")
        verbose_name_plural = _("print formats")

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"


class PrintRecord(models.Model):
    """One printed document: the format version, what it showed, and the code printed on it."""

    format = models.ForeignKey(PrintFormat, models.PROTECT, related_name="prints", verbose_name=_("print format"))
    round = models.ForeignKey(Round, models.CASCADE, related_name="prints", verbose_name=_("round"))
    subject = models.CharField(_("subject"), max_length=200)  # the unit, "section · unit" or the round
    signature = models.ForeignKey(Signature, models.PROTECT, null=True, blank=True, related_name="prints",
                                  verbose_name=_("signature"))
    code = models.CharField(_("verification code"), max_length=20, db_index=True)
    content_digest = models.CharField(_("content digest"), max_length=64)
    draft = models.BooleanField(_("draft"), default=False)
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("printed by"))
    printed_at = models.DateTimeField(_("printed at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["-printed_at", "-id"]
        verbose_name = _("printed document")
        verbose_name_plural = _("printed documents")

    def __str__(self) -> str:
        return f"{self.format.code} v{self.format.version} · {self.subject} · {self.code}"


class PrintBatch(models.Model):
    """Every unit of a round in one PDF, made by a job; the file is offered only once it is complete."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, _("queued")), (RUNNING, _("running")), (DONE, _("done")), (FAILED, _("failed"))]

    format = models.ForeignKey(PrintFormat, models.PROTECT, related_name="batches", verbose_name=_("print format"))
    round = models.ForeignKey(Round, models.CASCADE, related_name="print_batches", verbose_name=_("round"))
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=QUEUED)
    done = models.PositiveIntegerField(_("documents done"), default=0)
    total = models.PositiveIntegerField(_("documents"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    file = models.CharField(_("file"), max_length=300, blank=True)  # under MEDIA_ROOT, set when complete
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The running job touches this after every document. A worker killed mid-batch stops touching it, and
    # the batch is then reported as stopped (and may be retried) instead of running for ever.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)

    STALLED_AFTER = timedelta(minutes=2)  # a document takes about a second; two minutes of silence is a dead worker

    class Meta:
        app_label = "kaohe"
        ordering = ["-requested_at", "-id"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")

    def __str__(self) -> str:
        return f"{self.format.code} · {self.round} · {self.state}"

    def stalled(self, now=None) -> bool:
        """Running, but its worker has made no progress for STALLED_AFTER: the worker died."""
        last = self.heartbeat_at or self.requested_at
        return self.state == self.RUNNING and last is not None and (now or timezone.now()) - last > self.STALLED_AFTER
