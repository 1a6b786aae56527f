"""A scheme: its indicator tree, its rules, its economic indicators and its groups' prize quotas."""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaohe.scoring.spec import Kind, Method

from .scheme_check import rule_problems
from .unit import Section, Unit, UnitGroup

POINTS = {"max_digits": 10, "decimal_places": 4}


KIND_NAMES = {
    Kind.ONE_OFF: _("once when it happened"),
    Kind.PER_OCCURRENCE: _("per occurrence"),
    Kind.TIERED: _("by band per row"),
    Kind.PROPORTIONAL: _("in proportion to completion"),
    Kind.COUNT_THRESHOLD: _("yearly count below a band"),
    Kind.DISCRETIONARY: _("discretionary, with a reason"),
    Kind.ECONOMIC: _("economic targets (time-proportional progress)"),
    Kind.VETO: _("one-vote veto"),
    Kind.ECONOMIC_VETO: _("economic veto (computed)"),
    Kind.RATING: _("ratings (360°)"),
    Kind.RATIO: _("actual / target"),
    Kind.CAPPED: _("actual / target, capped"),
    Kind.LOWER_BETTER: _("target / actual (lower is better)"),
    Kind.BANDED: _("by band"),
}
METHOD_NAMES = {Method.POINTS: _("points"), Method.WEIGHTED: _("weighted"), Method.OBJECTIVES: _("objectives")}


class Scheme(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    family = models.SlugField(_("family"), max_length=30, default="town",
                              help_text=_("Which seed scheme this was built from."))
    method = models.CharField(
        _("method"), max_length=20, choices=[(m.value, METHOD_NAMES[m]) for m in Method], default=Method.POINTS,
        help_text=_("points: base ± effects, summed (towns); weighted: 0–100 weighted means (appraisal, KPIs); "
                    "objectives: one target tree scored per owner (MBO)."),
    )
    rating_scale = models.JSONField(_("rating scale"), default=dict, blank=True,
                                    help_text=_('Letter ratings to points, e.g. {"A": "95", "B": "85"}.'))
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"), default=2, help_text=_("Each effect is rounded half-up to this many decimals.")
    )
    tie_breakers = models.CharField(
        _("tie-breakers"), max_length=200, blank=True,
        help_text=_("Comma-separated, e.g. 'category:8,item:1.2'; higher wins. Empty: ties share a rank."),
    )
    observer_sees = models.CharField(
        _("observer sees after publication"), max_length=10, default="ranking",
        choices=[("ranking", _("the published ranking only")), ("details", _("the ranking and every unit's result"))],
        help_text=_("What the observer role may open once a round of this scheme is published."))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["-year", "code"]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def tie_breaker_list(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.tie_breakers.split(",") if t.strip())

    def clean(self) -> None:
        for breaker in self.tie_breaker_list():
            kind, _sep, code = breaker.partition(":")
            if kind not in {"category", "item"} or not code:
                raise ValidationError({"tie_breakers": _("Use category:<code> or item:<code>.")})


class Indicator(models.Model):
    """A category (no parent) or an item of one; leaves carry the rules."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="indicators", verbose_name=_("scheme"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("parent"))
    base = models.DecimalField(_("base points"), **POINTS, default=Decimal(0))
    floor = models.DecimalField(_("floor"), **POINTS, null=True, blank=True, default=Decimal(0),
                                help_text=_("Deductions stop here (扣完为止). Empty: no floor."))
    cap = models.DecimalField(_("cap"), **POINTS, null=True, blank=True,
                              help_text=_("Bonuses stop here. Empty: no cap."))
    section = models.ForeignKey(Section, models.SET_NULL, null=True, blank=True, related_name="indicators",
                                verbose_name=_("section"))
    order = models.PositiveIntegerField(_("order"), default=0)
    weight = models.DecimalField(_("weight (%)"), **POINTS, null=True, blank=True,
                                 help_text=_("Weighted schemes: share among its siblings; siblings add to 100."))
    applies_to = models.ForeignKey(UnitGroup, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("applies to group"),
                                   help_text=_("Weighted schemes: only subjects of this group are scored on it."))
    owner = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="objectives",
                              verbose_name=_("owner"), help_text=_("Objectives: who answers for this node."))
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True,
                                 help_text=_("Objectives: the node's measurable target."))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicator_code_per_scheme")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.cap is not None and self.floor is not None and self.cap < self.floor:
            raise ValidationError({"cap": _("The cap cannot be below the floor.")})


class Rule(models.Model):
    """How one kind of recorded occurrence moves an item; its code is what ledger rows name."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="rules", verbose_name=_("scheme"))
    indicator = models.ForeignKey(Indicator, models.CASCADE, null=True, blank=True, related_name="rules",
                                  verbose_name=_("item"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=[(k.value, KIND_NAMES[k]) for k in Kind])
    amount = models.DecimalField(_("amount"), **POINTS, null=True, blank=True,
                                 help_text=_("Signed points per occurrence (or at zero completion)."))
    min_points = models.DecimalField(_("minimum"), **POINTS, null=True, blank=True)
    max_points = models.DecimalField(_("maximum"), **POINTS, null=True, blank=True)
    bands = models.JSONField(_("bands"), default=list, blank=True,
                             help_text=_('For tiered and count-threshold rules: [{"limit": "5", "points": "-2"}]'))
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="rule_code_per_scheme")]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def bands_json(self) -> str:
        return json.dumps(self.bands, ensure_ascii=False)

    def clean(self) -> None:
        problems = rule_problems(self)
        if problems:
            raise ValidationError(problems)


class EconomicIndicator(models.Model):
    """One of the economic targets scored in 1.2 and, when ``in_veto``, checked for the veto."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="economic_indicators",
                               verbose_name=_("scheme"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), **POINTS)
    in_veto = models.BooleanField(_("in the veto set"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["scheme", "order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="economic_code_per_scheme")]
        verbose_name = _("economic indicator")
        verbose_name_plural = _("economic indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SchemeGroup(models.Model):
    """A group ranked under a scheme, with its prize quotas (一等奖, 二等奖, 三等奖)."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="groups", verbose_name=_("scheme"))
    group = models.ForeignKey(UnitGroup, models.PROTECT, related_name="+", verbose_name=_("group"))
    first_prizes = models.PositiveSmallIntegerField(_("first prizes"), default=0)
    second_prizes = models.PositiveSmallIntegerField(_("second prizes"), default=0)
    third_prizes = models.PositiveSmallIntegerField(_("third prizes"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        constraints = [models.UniqueConstraint(fields=["scheme", "group"], name="group_once_per_scheme")]
        verbose_name = _("ranked group")
        verbose_name_plural = _("ranked groups")

    def __str__(self) -> str:
        return f"{self.scheme.code} / {self.group.code}"

    def quotas(self) -> tuple[int, ...]:
        return (self.first_prizes, self.second_prizes, self.third_prizes)
