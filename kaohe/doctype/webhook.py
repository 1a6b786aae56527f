"""Group robots on DingTalk or WeCom that receive the notifications of a section or of one person."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .unit import Section


class WebhookEndpoint(models.Model):
    DINGTALK, WECOM = "dingtalk", "wecom"
    KINDS = [(DINGTALK, _("DingTalk group robot")), (WECOM, _("WeCom group robot"))]

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS)
    url = models.URLField(_("webhook address"), max_length=500,  # URLField allows http(s) and ftp(s) only
                          validators=[URLValidator(schemes=["http", "https"])],
                          help_text=_("The robot's address as the group's robot settings show it."))
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("DingTalk's 加签 secret (SEC…); the message is signed with it. "
                                          "Empty: not signed."))
    section = models.ForeignKey(Section, models.CASCADE, null=True, blank=True, related_name="webhooks",
                                verbose_name=_("section"), help_text=_("Everything notified to this section's people."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True,
                             related_name="webhooks", verbose_name=_("user"),
                             help_text=_("Everything notified to this person."))
    enabled = models.BooleanField(_("enabled"), default=True)
    # The address carries the robot's access token and the secret signs for it: the audit keeps neither.
    audit_masked = ("url", "secret")

    class Meta:
        app_label = "kaohe"
        ordering = ["name"]
        verbose_name = _("message robot")
        verbose_name_plural = _("message robots")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        if (self.section_id is None) == (self.user_id is None):
            raise ValidationError(_("A robot receives the messages of one section or of one person: choose exactly "
                                    "one."))


class WebhookDelivery(models.Model):
    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATES = [(PENDING, _("waiting")), (SENT, _("sent")), (FAILED, _("failed"))]

    endpoint = models.ForeignKey(WebhookEndpoint, models.CASCADE, related_name="deliveries",
                                 verbose_name=_("robot"))
    text = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["-created_at", "-id"]
        verbose_name = _("robot message")
        verbose_name_plural = _("robot messages")

    def __str__(self) -> str:
        return f"{self.endpoint.name}: {self.text[:40]}"
