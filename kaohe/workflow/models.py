"""The route a score sheet or a round walks, stored as rows an administrator can edit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaohe.doctype.people import Role
from kaohe.doctype.route_names import state_name, step_name

# Named conditions a transition may require (checked by kaohe.services.conditions): name → (label, refusal).
CONDITIONS = {
    "all_sheets_signed": (_("all sheets signed"), _("Not every sheet of the round is signed.")),
    "within_objection_window": (_("within the objection window"), _("The objection window is closed.")),
    "no_open_objection": (_("no open objection"), _("An objection is still open.")),
    "plans_in_place": (_("improvement plans in place"),
                       _("Someone graded 不合格 has no improvement plan (actions, owner, due date).")),
    "ready_to_close": (_("no open objection, plans in place, nothing unpublished"),
                       _("An objection is still open, a sheet is not signed again, a changed result is not yet "
                         "published, or someone graded 不合格 has no improvement plan.")),
    "round_open": (_("the round is open"), _("The round is not open for changes.")),
    "round_collected": (_("the round is collected"), _("A sheet can be sent back only while the round is collected.")),
    "result_changed": (_("a published result has changed"),
                       _("Nothing has changed since the result was published; there is nothing to approve again.")),
}


class Workflow(models.Model):
    TARGETS = [("sheet", _("score sheet")), ("round", _("assessment round"))]

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    target = models.CharField(_("applies to"), max_length=10, choices=TARGETS, unique=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")

    def __str__(self) -> str:
        return self.name


class State(models.Model):
    workflow = models.ForeignKey(Workflow, models.CASCADE, related_name="states", verbose_name=_("workflow"))
    code = models.SlugField(_("code"), max_length=30)
    label = models.CharField(_("label"), max_length=50)
    initial = models.BooleanField(_("initial"), default=False)
    editable = models.BooleanField(_("content editable"), default=False,
                                   help_text=_("Whether ledger rows and amounts may change in this state."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["workflow", "order"]
        constraints = [models.UniqueConstraint(fields=["workflow", "code"], name="state_code_per_workflow")]
        verbose_name = _("workflow state")
        verbose_name_plural = _("workflow states")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The label in the reader's language while it is the shipped one."""
        return state_name(self.code, self.label)


class Transition(models.Model):
    workflow = models.ForeignKey(Workflow, models.CASCADE, related_name="transitions", verbose_name=_("workflow"))
    action = models.SlugField(_("action"), max_length=30)
    label = models.CharField(_("label"), max_length=50)
    source = models.ForeignKey(State, models.CASCADE, related_name="+", verbose_name=_("from"))
    target = models.ForeignKey(State, models.CASCADE, related_name="+", verbose_name=_("to"))
    role = models.CharField(_("role allowed"), max_length=20, choices=Role.choices)
    comment_required = models.BooleanField(_("comment required"), default=False)
    condition = models.CharField(_("condition"), max_length=40, blank=True,
                                 choices=[(k, label) for k, (label, _r) in CONDITIONS.items()])
    approvals_required = models.PositiveSmallIntegerField(
        _("approvals required"), default=1, help_text=_("N of M: the transition happens at the N-th approval."))
    forbid_submitter = models.BooleanField(_("submitter may not do this"), default=False)
    signs = models.BooleanField(_("records a signature"), default=False)
    history = HistoricalRecords()

    class Meta:
        app_label = "kaohe"
        ordering = ["workflow", "source__order", "action"]
        constraints = [models.UniqueConstraint(fields=["workflow", "source", "action"],
                                               name="one_action_per_state")]
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")

    def __str__(self) -> str:
        return f"{self.source} —{self.name}→ {self.target}"

    @property
    def name(self) -> str:
        return step_name(self.action, self.label)


class Approval(models.Model):
    """One member's approval towards an N-of-M transition; cleared when the object moves on."""

    transition = models.ForeignKey(Transition, models.CASCADE, related_name="approvals")
    round = models.ForeignKey("kaohe.Round", models.CASCADE, null=True, blank=True, related_name="approvals")
    sheet = models.ForeignKey("kaohe.ScoreSheet", models.CASCADE, null=True, blank=True, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        constraints = [
            models.UniqueConstraint(fields=["transition", "round", "user"], name="approve_round_once"),
            models.UniqueConstraint(fields=["transition", "sheet", "user"], name="approve_sheet_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.transition}"


class TransitionLog(models.Model):
    round = models.ForeignKey("kaohe.Round", models.CASCADE, null=True, blank=True, related_name="log")
    sheet = models.ForeignKey("kaohe.ScoreSheet", models.CASCADE, null=True, blank=True, related_name="log")
    action = models.CharField(_("action"), max_length=30)
    source = models.CharField(_("from"), max_length=30)
    target = models.CharField(_("to"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("on behalf of"))
    role = models.CharField(_("role"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["at", "id"]
        verbose_name = _("route log entry")
        verbose_name_plural = _("route log")

    def __str__(self) -> str:
        return f"{state_name(self.source)} —{step_name(self.action)}→ {state_name(self.target)}"


class Signature(models.Model):
    """Who signed what, when, in which role, and the SHA-256 of exactly what was signed."""

    round = models.ForeignKey("kaohe.Round", models.CASCADE, null=True, blank=True, related_name="signatures")
    sheet = models.ForeignKey("kaohe.ScoreSheet", models.CASCADE, null=True, blank=True, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("signed by"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("on behalf of"))
    role = models.CharField(_("role"), max_length=20)
    action = models.CharField(_("step"), max_length=30, blank=True,
                              help_text=_("The route step this signature approved: what it covers depends on it."))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    digest = models.CharField(_("SHA-256"), max_length=64)
    content = models.JSONField(_("signed content"))

    class Meta:
        app_label = "kaohe"
        ordering = ["signed_at", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.digest[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("signatures are never changed")
        super().save(*args, **kwargs)
