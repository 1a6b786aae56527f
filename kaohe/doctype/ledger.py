"""The ledger (台账): what sections record all year, and the economic figures that come by import.

Ledger rows are append-only: a correction is a reversing row that points at the original.
"""

import hashlib
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scheme import EconomicIndicator, Rule, Scheme
from .unit import Unit

AMOUNT = {"max_digits": 14, "decimal_places": 4}


def row_identity(unit_id: int, rule_id: int, day: date, quantity: Decimal, points: Decimal | None, note: str) -> str:
    """What makes an imported row the same row: its unit, rule, date, quantity, points and note.

    Numbers are normalised (1 = 1.0000) and an empty amount is written as "-", never NULL, so that a
    unique index cannot let a copy through. The same occurrence twice on one day is written once with
    quantity 2, or told apart in the note.
    """
    text = "\x1f".join([str(unit_id), str(rule_id), day.isoformat(), _number(quantity), _number(points), note.strip()])
    return _digest(text)


# The first 128 bits of the SHA-256: two different rows would share them about once in 10**19 rows, and the
# unique index half the size of one on the whole digest makes every imported row cheaper to write.
IDENTITY_DIGITS = 32


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:IDENTITY_DIGITS]


def _number(value: Decimal | None) -> str:
    return "-" if value is None else format(value.normalize(), "f")


def row_identities(rows) -> list[str]:
    """:func:`row_identity` of many rows (each with unit_id, rule_id, date, quantity, points, note), the few
    distinct units and rules, and dates and amounts, of a file written out once each."""
    heads: dict[tuple, str] = {}
    middles: dict[tuple, str] = {}
    found = []
    for r in rows:
        head = heads.get((r.unit_id, r.rule_id))
        if head is None:
            head = heads[r.unit_id, r.rule_id] = f"{r.unit_id}\x1f{r.rule_id}"
        shared = r.quantity != 0 and r.points != 0  # 0 and -0 are equal keys but not the same text
        middle = middles.get((r.date, r.quantity, r.points)) if shared else None
        if middle is None:
            middle = "\x1f".join([r.date.isoformat(), _number(r.quantity), _number(r.points)])
            if shared:
                middles[r.date, r.quantity, r.points] = middle
        found.append(_digest(f"{head}\x1f{middle}\x1f{r.note.strip()}"))
    return found


MONEY = {"max_digits": 20, "decimal_places": 4}


def entry_label(unit: str, rule_code: str, quantity, day) -> str:
    """How a ledger row names itself (in the audit trail too), from values a writer already holds."""
    return f"{unit} {rule_code} ×{quantity} ({day})"


class ImportBatch(models.Model):
    """One accepted import file; its fingerprint makes re-importing the same rows a no-op."""

    KINDS = [("units", _("units")), ("economy", _("economic figures")), ("ledger", _("ledger rows")),
             ("groups", _("org units")), ("ratings", _("ratings")), ("measures", _("measurements")),
             ("objectives", _("objectives")),
             ("survey_answers", _("paper questionnaires"))]

    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    scheme = models.ForeignKey(Scheme, models.CASCADE, null=True, blank=True, related_name="batches",
                               verbose_name=_("scheme"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    filename = models.CharField(_("file name"), max_length=255)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("imported by"))

    class Meta:
        app_label = "kaohe"
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"


class LedgerEntry(models.Model):
    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="entries", verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="entries", verbose_name=_("unit"))
    rule = models.ForeignKey(Rule, models.PROTECT, related_name="entries", verbose_name=_("rule"))
    quantity = models.DecimalField(_("quantity"), **AMOUNT, default=1)
    points = models.DecimalField(_("points"), **AMOUNT, null=True, blank=True,
                                 help_text=_("Signed amount, for discretionary rules only."))
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    batch = models.ForeignKey(ImportBatch, models.PROTECT, null=True, blank=True, related_name="entries",
                              verbose_name=_("import batch"))
    reverses = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="reversed_by",
                                    verbose_name=_("reverses"))
    identity = models.CharField(  # noqa: DJ001 — NULL (not imported) must not collide under the unique index
        _("row identity"), max_length=64, null=True, blank=True, editable=False,
        help_text=_("Imported rows: the first 128 bits of the SHA-256 of unit, rule, date, quantity, points and "
                    "note, unique per scheme, so a row is imported once whatever file or order it comes in."))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))

    class Meta:
        app_label = "kaohe"
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "identity"], name="ledger_row_once")]
        indexes = [
            # Covers the scoring GROUP BY (unit, rule) so it never visits the table itself.
            models.Index(fields=["scheme", "unit", "rule", "date", "quantity", "points"], name="ledger_scoring_cover"),
            # Finds the latest live row per (unit, rule) of a completion-ratio rule from the index alone.
            models.Index(fields=["scheme", "rule", "unit", "date", "reverses"], name="ledger_rule_latest"),
        ]
        verbose_name = _("ledger row")
        verbose_name_plural = _("ledger")

    def __str__(self) -> str:
        return entry_label(str(self.unit), self.rule.code, self.quantity, self.date)

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Ledger rows cannot be changed; record a reversing row instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger rows cannot be deleted; record a reversing row instead."))


class EconomicFigure(models.Model):
    """A unit's annual target and its cumulative actual as reported for one month."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="figures", verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="figures", verbose_name=_("unit"))
    indicator = models.ForeignKey(EconomicIndicator, models.PROTECT, related_name="figures",
                                  verbose_name=_("indicator"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    target = models.DecimalField(_("annual target"), **MONEY)
    actual = models.DecimalField(_("cumulative actual"), **MONEY)
    batch = models.ForeignKey(ImportBatch, models.SET_NULL, null=True, blank=True, related_name="figures",
                              verbose_name=_("import batch"))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "unit", "indicator", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit", "indicator", "year", "month"],
                                    name="one_figure_per_month")
        ]
        verbose_name = _("economic figure")
        verbose_name_plural = _("economic figures")

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator.code} {self.year}-{self.month:02d}"
