"""Long work as jobs: an RQ job when Redis is configured, inline otherwise (or when Redis does not answer).

``do_start_job`` records the job and hands it over once the request's transaction commits; ``run_job`` is what
the worker (or the request) runs: it marks the job running, gives the work a ``progress(done, total)`` to call,
and keeps the outcome or why it failed. Print batches go through the same queue helpers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import django_rq
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from redis import Redis, RedisError

from kaohe.imports.errors import ImportRejected
from kaohe.models import Job
from kaohe.refusals import Refused

from .audit import audit

log = logging.getLogger(__name__)
QUEUE = "default"


def job_queue(name: str = QUEUE):
    """The RQ queue ``name`` on ``REDIS_URL``, or None: then the work runs inline."""
    if not settings.REDIS_URL:
        return None
    # commit_mode auto: enqueue at once (callers already wait for their commit), so that a refusal is seen here
    return django_rq.get_queue(name, connection=Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1),
                               commit_mode="auto")


def enqueue_or_run(work: Callable, pk: int, *, queue: str = QUEUE, job_timeout: int = 1800) -> None:
    """``work(pk)`` on the queue, or here and now when there is no queue or Redis does not take it."""
    found = job_queue(queue)
    if found is not None:
        try:
            found.enqueue(work, pk, job_timeout=job_timeout, result_ttl=3600, failure_ttl=86400)
            return
        except RedisError:  # Redis is an accelerator: without it the work runs in the request
            log.warning("Redis did not take %s(%s); running it inline", work.__name__, pk, exc_info=True)
    work(pk)


@dataclass
class Outcome:
    """What a job's work hands back: a sentence for the page and plain data for tests and the API."""

    summary: str
    result: dict = field(default_factory=dict)


def do_start_job(kind: str, work: Callable[[int], object], *, scheme=None, parameters: dict, total: int = 0,
                 acting_user) -> Job:
    """Record a job and run ``work(job.pk)`` after commit. The caller has already checked the permission."""
    job = Job.objects.create(kind=kind, scheme=scheme, parameters=parameters, total=total,
                             requested_by=acting_user if getattr(acting_user, "pk", None) else None)
    audit(acting_user, f"job.{kind}.start", scheme=scheme, target=job, after={"job": job.pk, **parameters})
    transaction.on_commit(lambda: enqueue_or_run(work, job.pk))
    return job


def run_job(pk: int, body: Callable[[Job, Callable[[int, int], None]], Outcome]) -> str:
    """Run ``body(job, progress)`` for job ``pk`` and record how it ended; never raises."""
    job = Job.objects.select_related("scheme", "requested_by").get(pk=pk)
    rows = Job.objects.filter(pk=pk)
    now = timezone.now()
    rows.update(state=Job.RUNNING, done=0, error="", started_at=now, heartbeat_at=now)

    def progress(done: int, total: int) -> None:
        rows.update(done=done, total=total, heartbeat_at=timezone.now())

    try:
        outcome = body(job, progress)
    except ImportRejected as rejected:  # the file's rows: every reason is kept for the page
        rows.update(state=Job.FAILED, error=str(_("%(n)s problem(s); nothing was imported") % {
            "n": len(rejected.errors)}), result={"errors": [e.as_dict() for e in rejected.errors]},
            finished_at=timezone.now())
        return Job.FAILED
    except Refused as refused:
        rows.update(state=Job.FAILED, error=str(refused), finished_at=timezone.now())
        return Job.FAILED
    except Exception as error:  # the job keeps why; the page shows it
        log.exception("job %s (%s) failed", pk, job.kind)
        rows.update(state=Job.FAILED, error=str(error) or type(error).__name__, finished_at=timezone.now())
        return Job.FAILED
    total = Job.objects.filter(pk=pk).values_list("total", flat=True).get()
    rows.update(state=Job.DONE, done=total, summary=outcome.summary, result=outcome.result,
                finished_at=timezone.now())
    return Job.DONE
