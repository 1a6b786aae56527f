"""Long work done off the request: a round's recompute, a large import. A job records who asked for it, how far
it got and what came of it; an RQ worker runs it when Redis is configured, the request itself otherwise.

An uploaded import file waits here between its preview and its confirmation, under a random name that only
its uploader's requests reach.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scheme import Scheme


class Job(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, _("queued")), (RUNNING, _("running")), (DONE, _("done")), (FAILED, _("failed"))]
    KINDS = [("recompute", _("recompute from the ledger")), ("import", _("import of a file"))]

    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    parameters = models.JSONField(_("parameters"), default=dict)
    scheme = models.ForeignKey(Scheme, models.CASCADE, null=True, blank=True, related_name="jobs",
                               verbose_name=_("scheme"))
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=QUEUED)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=0)
    summary = models.TextField(_("outcome"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Touched at every step: a worker killed mid-job stops touching it, and the job is then reported stopped.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)

    STALLED_AFTER = timedelta(minutes=5)

    class Meta:
        app_label = "kaohe"
        ordering = ["-requested_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} · {self.state}"

    def stalled(self, now=None) -> bool:
        """Running, but no progress for STALLED_AFTER: its worker died."""
        last = self.heartbeat_at or self.requested_at
        return self.state == self.RUNNING and last is not None and (now or timezone.now()) - last > self.STALLED_AFTER

    @property
    def working(self) -> bool:
        return self.state in {self.QUEUED, self.RUNNING} and not self.stalled()


class ImportUpload(models.Model):
    """A file uploaded in the Desk, kept until it is confirmed (then imported) or abandoned."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20)
    scheme = models.ForeignKey(Scheme, models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("scheme"))
    month = models.PositiveSmallIntegerField(_("as of month"), null=True, blank=True)  # economic figures only
    filename = models.CharField(_("file name"), max_length=255)
    path = models.CharField(_("stored as"), max_length=300)  # under MEDIA_ROOT
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    job = models.ForeignKey(Job, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job"))
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        app_label = "kaohe"
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("uploaded import file")
        verbose_name_plural = _("uploaded import files")

    def __str__(self) -> str:
        return f"{self.kind} · {self.filename}"
