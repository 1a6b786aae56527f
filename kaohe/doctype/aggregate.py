"""What scoring reads instead of the whole ledger: per unit × rule sums kept current by every write.

``RuleTotal`` holds, for each (scheme, unit, rule) and each month of the scheme's year, the count and
the sums of every ledger row dated up to the end of that month, so any as-of month is one indexed
lookup. Sums are whole ten-thousandths (the ledger's scale) in integer columns: exact on SQLite too.
``Standing`` holds each unit's scored result, rank and prize for the months kept (December always);
``ScoreState`` says what they were built from. All three are derived: ``score --recompute`` rebuilds
them from the ledger, and signed or published results are never read from or written to here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scheme import Rule, Scheme
from .unit import Unit


class RuleTotal(models.Model):
    # Keyed by what every read asks for, one month of a whole scheme: on InnoDB, and on SQLite where the
    # table is created WITHOUT ROWID (migration 0019), the rows are stored in that order, so the key is
    # the only index and a write updates one B-tree per cell instead of one per index. A later migration that
    # alters this table makes SQLite copy it into a new table: it must say WITHOUT ROWID again (see 0019).
    pk = models.CompositePrimaryKey("scheme", "month", "unit", "rule")
    # No database constraints: the totals are derived (rebuilt from the ledger by ``score --recompute``) and
    # a constraint would check three parent rows, and on InnoDB keep an index, for each of the cells a write
    # adds to. Deleting a scheme, unit or rule still deletes their totals (Django's cascade).
    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="+", db_constraint=False, db_index=False,
                               verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+", db_constraint=False, db_index=False,
                             verbose_name=_("unit"))
    rule = models.ForeignKey(Rule, models.CASCADE, related_name="+", db_constraint=False, db_index=False,
                             verbose_name=_("rule"))
    month = models.PositiveSmallIntegerField(_("through month"))
    count = models.IntegerField(_("rows"))
    quantity = models.BigIntegerField(_("quantity (ten-thousandths)"))
    points = models.BigIntegerField(_("points (ten-thousandths)"))

    class Meta:
        app_label = "kaohe"
        verbose_name = _("rule total")
        verbose_name_plural = _("rule totals")

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.rule_id} ≤{self.month}: {self.count}"


class Standing(models.Model):
    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="+", verbose_name=_("scheme"))
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+", db_index=False, verbose_name=_("unit"))
    month = models.PositiveSmallIntegerField(_("as of month"))
    group = models.CharField(_("group"), max_length=30)
    eligible = models.BooleanField(_("ranked"))  # neither vetoed nor unscored
    total = models.DecimalField(_("total"), max_digits=20, decimal_places=6)
    # The total and its tie-breakers as fixed-width digits (kaohe.actions.aggregates.ranking_key): text order is
    # ranking order, so a rank is one plus the number of greater keys.
    key = models.CharField(_("ranking key"), max_length=255)
    result = models.JSONField(_("result"))  # the unit's result as plain data, without rank and prize
    rank = models.PositiveIntegerField(_("rank"), null=True)
    prize = models.PositiveSmallIntegerField(_("prize"), null=True)

    class Meta:
        app_label = "kaohe"
        constraints = [models.UniqueConstraint(fields=["scheme", "month", "unit"], name="standing_once")]
        indexes = [models.Index(fields=["scheme", "month", "group", "eligible", "key"], name="standing_rank")]
        verbose_name = _("standing")
        verbose_name_plural = _("standings")

    def __str__(self) -> str:
        return f"{self.unit_id} ≤{self.month}: {self.rank}"


class ScoreState(models.Model):
    scheme = models.OneToOneField(Scheme, models.CASCADE, primary_key=True, related_name="+",
                                  verbose_name=_("scheme"))
    inputs = models.CharField(_("built from"), max_length=200)  # see kaohe.services.aggregates.inputs_mark
    ledger_high = models.BigIntegerField(_("newest ledger row"), default=0)
    months = models.CharField(_("standings kept for months"), max_length=40, default="12")  # e.g. "6,12"
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        app_label = "kaohe"
        verbose_name = _("score state")
        verbose_name_plural = _("score states")

    def __str__(self) -> str:
        return f"{self.scheme_id}: {self.inputs}"
