"""A whole round's documents in one PDF as a job: an RQ job when Redis is configured, inline otherwise.

The file is written beside its final name and renamed when complete, and the batch offers it only in
the ``done`` state: a failed or unfinished batch never offers a half-written file. A failed batch keeps
the reason and can be retried with the format's newest version (the reason may have been the template).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from redis import RedisError

from kaohe.models import PrintBatch, Round
from kaohe.permissions import can_follow_print_batch
from kaohe.printing.documents import documents_for
from kaohe.printing.pdf import render_many, write_atomically
from kaohe.printing.render import current_format, current_formats, page_html
from kaohe.printing.sandbox import TemplateProblem
from kaohe.refusals import NotAllowed, Refused

from .audit import audit
from .jobs import enqueue_or_run, job_queue
from .printing import check_may_print, do_print

log = logging.getLogger(__name__)
QUEUE = "print"


def batch_path(batch: PrintBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / "print-batches" / f"batch-{batch.pk}.pdf"


def queue():
    """The RQ queue of print batches, or None: then a batch runs inline."""
    return job_queue(QUEUE)


def _dispatch(pk: int) -> None:
    enqueue_or_run(run_print_batch, pk, queue=QUEUE)


@transaction.atomic
def do_start_print_batch(fmt, round_, *, acting_user) -> PrintBatch:
    check_may_print(acting_user, fmt, round_, None, None)
    batch = PrintBatch.objects.create(format=fmt, round=round_,
                                      requested_by=acting_user if getattr(acting_user, "pk", None) else None)
    audit(acting_user, "print_batch.start", scheme=round_.scheme, target=batch,
          after={"format": fmt.code, "version": fmt.version, "round": round_.pk})
    transaction.on_commit(lambda: _dispatch(batch.pk))
    return batch


@transaction.atomic
def do_retry_print_batch(batch: PrintBatch, *, acting_user) -> PrintBatch:
    if not can_follow_print_batch(acting_user, batch):
        raise NotAllowed("print_batch_not_yours", _("Only who asked for this batch, or an administrator, retries it."))
    batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != PrintBatch.FAILED and not batch.stalled():
        raise Refused("print_batch_not_failed", _("Only a failed batch, or one whose worker stopped, is retried."))
    newest = current_format(batch.format.code) or batch.format
    before = {"state": batch.state, "error": batch.error, "version": batch.format.version}
    PrintBatch.objects.filter(pk=batch.pk).update(state=PrintBatch.QUEUED, error="", done=0, file="", format=newest,
                                                  finished_at=None)
    audit(acting_user, "print_batch.retry", scheme=batch.round.scheme, target=batch, before=before,
          after={"state": PrintBatch.QUEUED, "version": newest.version})
    transaction.on_commit(lambda: _dispatch(batch.pk))
    batch.refresh_from_db()
    return batch


def run_print_batch(pk: int) -> str:
    """The job: every document of the batch's round, merged; the batch says how far it got, and why it failed."""
    batch = PrintBatch.objects.select_related("format", "round__scheme", "requested_by").get(pk=pk)
    rows = PrintBatch.objects.filter(pk=pk)
    rows.update(state=PrintBatch.RUNNING, done=0, error="", file="", heartbeat_at=timezone.now())
    try:
        documents = documents_for(batch.format.subject, batch.round)
        rows.update(total=len(documents))
        printed = do_print(batch.format, batch.round, acting_user=batch.requested_by, documents=documents,
                           progress=lambda n: rows.update(done=n, heartbeat_at=timezone.now()))
        path = batch_path(batch)
        write_atomically(path, printed.pdf)
    except Exception as error:  # the batch keeps why; nothing is offered
        log.exception("print batch %s failed", pk)
        rows.update(state=PrintBatch.FAILED, error=str(error) or type(error).__name__, finished_at=timezone.now())
        return PrintBatch.FAILED
    rows.update(state=PrintBatch.DONE, file=str(path.relative_to(settings.MEDIA_ROOT)), done=len(documents),
                finished_at=timezone.now())
    return PrintBatch.DONE


def prepare_round_prints(round_pk: int) -> None:
    """Once a round is decided its documents do not change: with a worker, lay them out now, so that a
    batch asked for later is only a merge of cached files. Without Redis nothing is done here (the
    request that decided should not wait for it); the first batch then lays the documents out."""
    found = queue()
    if found is not None:
        try:
            found.enqueue(warm_print_cache, round_pk, job_timeout=1800, result_ttl=600)
        except RedisError:
            log.warning("Redis did not take the print preparation of round %s", round_pk, exc_info=True)


def warm_print_cache(round_pk: int) -> int:
    """The job: every enabled format's documents of the round rendered into the cache; nothing recorded."""
    round_ = Round.objects.select_related("scheme").get(pk=round_pk)
    pages = []
    for fmt in current_formats():
        if not fmt.enabled:
            continue
        try:
            pages += [page_html(fmt, document)[0] for document in documents_for(fmt.subject, round_)]
        except TemplateProblem:
            log.warning("print format %s v%s does not render for round %s", fmt.code, fmt.version, round_pk)
    render_many(pages)
    return len(pages)


def finished_file(batch: PrintBatch) -> Path | None:
    """The batch's PDF, only once the batch is done and the file is all there."""
    if batch.state != PrintBatch.DONE or not batch.file:
        return None
    path = Path(settings.MEDIA_ROOT) / batch.file
    return path if path.is_file() else None
