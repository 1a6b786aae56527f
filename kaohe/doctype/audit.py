"""The audit trail: one row per action that changed business data — who, when, what, before and after.

Model history (django-simple-history) keeps every version of each record; this trail says which
action made the change and why, in one place, including append-only ledger rows that have no
versions. Rows are written only by ``kaohe.actions`` and never changed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("by"), help_text=_("Empty: the command line."))
    action = models.CharField(_("action"), max_length=50, db_index=True)
    scheme = models.ForeignKey("kaohe.Scheme", models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("scheme"))
    target = models.CharField(_("record"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("audit events are never changed")
        super().save(*args, **kwargs)
