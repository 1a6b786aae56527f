"""Who may do what: role memberships (a user may hold several), delegations and signature images.

Role × object table (see kaohe.permissions for the predicates that enforce it):

| role       | scope    | may                                                                      |
|------------|----------|--------------------------------------------------------------------------|
| admin      | —        | open rounds, edit schemes, everything in the admin                       |
| staff      | section  | enter ledger rows and amounts for its section's items, submit its sheets |
| head       | section  | sign or return its section's submitted sheets, answer objections        |
| collector  | —        | see every sheet, total the round once all are signed, publish           |
| meeting    | —        | see the ranking, approve the result (N of M), send one sheet back       |
| unit       | unit     | see its own published result and evidence, file an objection             |
| observer   | —        | read the published ranking                                               |
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .unit import Section, Unit


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    STAFF = "staff", _("section staff")
    HEAD = "head", _("section head")
    COLLECTOR = "collector", _("collecting section")
    MEETING = "meeting", _("director's meeting")
    UNIT = "unit", _("assessed unit")
    OBSERVER = "observer", _("observer")


SECTION_ROLES = {Role.STAFF, Role.HEAD}


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    section = models.ForeignKey(Section, models.CASCADE, null=True, blank=True, related_name="members",
                                verbose_name=_("section"))
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="members",
                             verbose_name=_("unit"))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        constraints = [models.UniqueConstraint(fields=["user", "role", "section", "unit"], name="membership_once")]
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")

    def __str__(self) -> str:
        scope = self.section or self.unit or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()

    def clean(self) -> None:
        if self.role in SECTION_ROLES and self.section_id is None:
            raise ValidationError({"section": _("This role belongs to a section.")})
        if self.role == Role.UNIT and self.unit_id is None:
            raise ValidationError({"unit": _("This role belongs to a unit.")})
        if self.role not in SECTION_ROLES and self.section_id is not None:
            raise ValidationError({"section": _("Only staff and heads belong to a section.")})
        if self.role != Role.UNIT and self.unit_id is not None:
            raise ValidationError({"unit": _("Only unit users belong to a unit.")})


class Delegation(models.Model):
    """A section head lets another user sign for the section between two dates (inclusive)."""

    head = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="delegations_given",
                             verbose_name=_("section head"))
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="delegations_received",
                                 verbose_name=_("delegate"))
    section = models.ForeignKey(Section, models.CASCADE, related_name="delegations", verbose_name=_("section"))
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        verbose_name = _("signing delegation")
        verbose_name_plural = _("signing delegations")

    def __str__(self) -> str:
        return f"{self.head} → {self.delegate} ({self.section}, {self.starts}–{self.ends})"

    def clean(self) -> None:
        if self.ends < self.starts:
            raise ValidationError({"ends": _("The end is before the start.")})
        if self.head_id == self.delegate_id:
            raise ValidationError({"delegate": _("Delegate to someone else.")})


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile",
                                verbose_name=_("user"))
    signature_image = models.ImageField(_("handwritten signature"), upload_to="signatures/", blank=True)
    # The language emails are written in; the Desk follows the browser's choice. Empty: the site's default.
    language = models.CharField(_("language"), max_length=10, blank=True, choices=settings.LANGUAGES)

    class Meta:
        app_label = "kaohe"
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)
