"""Uploaded import files that were never confirmed: after a while nobody will come back to them, so their record
and their copy under MEDIA_ROOT go. A file that was imported, or whose import job is still at work, is kept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.models import ImportUpload, Job
from kaohe.permissions import can_clear_uploads
from kaohe.refusals import NotAllowed, Refused

from .audit import audit

KEEP_DAYS = 7


def _abandoned(upload: ImportUpload) -> bool:
    """Never imported, and no job of it still at work (a failed or stalled job leaves it abandoned)."""
    if upload.imported_at is not None:
        return False
    job = Job.objects.filter(pk=upload.job_id).first() if upload.job_id else None
    return job is None or job.state == Job.FAILED or job.stalled()


@transaction.atomic
def do_clear_stale_uploads(*, days: int = KEEP_DAYS, owner=None, now=None, acting_user) -> list[str]:
    """Remove the uploads older than ``days`` that were never confirmed (only ``owner``'s when given), each
    audited; their files go once the transaction commits. Returns the names of the files removed."""
    if not can_clear_uploads(acting_user, owner):
        raise NotAllowed("cannot_clear_uploads", _("Only an administrator removes other people's uploaded files."))
    if days < 1:
        raise Refused("clear_uploads_days", _("Keep uploaded files for at least one day."))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    stale = ImportUpload.objects.filter(imported_at__isnull=True, uploaded_at__lt=cutoff)
    if owner is not None:
        stale = stale.filter(uploaded_by=owner)
    # Locked before deciding, so a confirmation at this moment either wins or finds the file gone.
    locked = ImportUpload.objects.select_for_update().filter(pk__in=list(stale.values_list("pk", flat=True)))
    removed = []
    for upload in locked.order_by("pk"):
        if not _abandoned(upload):
            continue
        audit(acting_user, "import.upload.clear", scheme=upload.scheme, target=upload,
              before={"kind": upload.kind, "file": upload.filename, "size": upload.size,
                      "uploaded_by": upload.uploaded_by_id, "uploaded_at": upload.uploaded_at},
              after={"days": days})
        _remove_on_commit(Path(settings.MEDIA_ROOT) / upload.path)
        upload.delete()
        removed.append(upload.filename)
    return removed


def _remove_on_commit(path: Path) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    if media in path.resolve().parents:  # only ever a file kept under MEDIA_ROOT
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
