"""An assessment round, its score sheets (one per section × unit), objections, evidence, notifications.

Sheet route (default data, editable in the admin):

| state     | staff of its section | head of its section          | collector | meeting     |
|-----------|----------------------|------------------------------|-----------|-------------|
| draft     | edit, submit         | —                            | read      | —           |
| submitted | read                 | sign (not the submitter), return (comment) | read | —     |
| signed    | read                 | read                         | read      | send back   |
| returned  | edit, submit         | —                            | read      | —           |

Round route: open → collected (collector, all sheets signed) → decided (meeting, N of M)
→ published (collector) → closed; the meeting may send one sheet back while collected.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaohe.scoring import AsOf

from .ledger import LedgerEntry
from .notices import render as render_notice
from .scheme import Scheme
from .unit import Section, Unit


def round_name(scheme_name: str, year: int, period: str, as_of_month: int, label: str = "") -> str:
    """Scheme, year and period, so rounds can be told apart anywhere they are listed; written in the site's
    language because it is stored. ``label`` tells apart two rounds of one period (a re-run)."""
    with translation.override(settings.LANGUAGE_CODE):
        if period == "mid_year":
            name = _("%(scheme)s %(year)s mid-year check (to month %(month)s)") % {
                "scheme": scheme_name, "year": year, "month": as_of_month}
        else:
            name = _("%(scheme)s %(year)s year end") % {"scheme": scheme_name, "year": year}
    return f"{name} · {label.strip()}" if label.strip() else str(name)


class Round(models.Model):
    PERIODS = [("year_end", _("year end")), ("mid_year", _("mid-year check"))]

    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="rounds", verbose_name=_("scheme"))
    name = models.CharField(_("name"), max_length=200)
    period = models.CharField(_("period"), max_length=10, choices=PERIODS, default="year_end")
    as_of_month = models.PositiveSmallIntegerField(_("as of month"), default=12)
    state = models.CharField(_("state"), max_length=30, default="open")
    due = models.DateField(_("sheets due"), null=True, blank=True)
    objection_days = models.PositiveSmallIntegerField(_("objection window (days)"), default=7)
    resolution = models.TextField(_("meeting resolution"), blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="round_name_once_per_scheme")]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self) -> str:
        return self.name

    @property
    def as_of(self) -> AsOf:
        return AsOf(self.scheme.year, self.as_of_month)

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def objection_deadline(self):
        if self.published_at is None:
            return None
        return timezone.localdate(self.published_at) + timedelta(days=self.objection_days)


class ScoreSheet(models.Model):
    round = models.ForeignKey(Round, models.CASCADE, related_name="sheets", verbose_name=_("round"))
    section = models.ForeignKey(Section, models.PROTECT, related_name="sheets", verbose_name=_("section"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="sheets", verbose_name=_("unit"))
    state = models.CharField(_("state"), max_length=30, default="draft")
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["round", "section", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "section", "unit"], name="one_sheet_per_section_unit")]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return f"{self.round} · {self.section} · {self.unit}"


class PublishedResult(models.Model):
    """One published version of a round's result, frozen: what every page shows after publication.

    A later version (after an objection changed a score and the round was approved again) does not
    replace an earlier one; both stay readable with the reason for the change.
    """

    round = models.ForeignKey(Round, models.CASCADE, related_name="versions", verbose_name=_("round"))
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("result"))
    reason = models.TextField(_("reason for this version"), blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        app_label = "kaohe"
        ordering = ["round", "-number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="one_version_number_per_round")]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")

    def __str__(self) -> str:
        return f"{self.round} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("a published result is never changed; publish a new version")
        super().save(*args, **kwargs)


class Objection(models.Model):
    """A unit's objection (申诉) to its published result; it reopens one sheet."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="objections", verbose_name=_("round"))
    sheet = models.ForeignKey(ScoreSheet, models.CASCADE, related_name="objections", verbose_name=_("sheet"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                 verbose_name=_("filed by"))
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="objections/%Y/", blank=True)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["-filed_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.sheet.unit} · {self.sheet.section}"


class Evidence(models.Model):
    entry = models.ForeignKey(LedgerEntry, models.PROTECT, related_name="evidence", verbose_name=_("ledger row"))
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    """A notice to one user: a message key and its parameters, worded in the reader's language when shown.

    Rows written before notices had keys keep their finished sentence in ``legacy_text`` and show it as is.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    key = models.CharField(_("message"), max_length=40, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    legacy_text = models.CharField(_("text"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The notice in the active language."""
        return render_notice(self.key, self.params) if self.key else self.legacy_text
