"""Assessed units, the groups they are ranked in, and the bureau's sections."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UnitGroup(models.Model):
    """A ranking group: ``town`` (镇企业服务中心), ``entity`` (其他经济责任主体), ``direct`` (直属工业单位)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        app_label = "kaohe"
        ordering = ["order", "code"]
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An assessed unit; its name is its stable key in imports, the API and reports."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    group = models.ForeignKey(UnitGroup, models.PROTECT, related_name="units", verbose_name=_("group"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["group__order", "name"]
        verbose_name = _("assessed unit")
        verbose_name_plural = _("assessed units")

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A section of the bureau (科室); it scores the items of its function (按职能分工)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    collects = models.BooleanField(
        _("collecting section"), default=False, help_text=_("Totals the sheets of every section (企业指导科).")
    )

    class Meta:
        app_label = "kaohe"
        ordering = ["code"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name
