"""Liveness and readiness for a load balancer or a supervisor: JSON, no login, no data."""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis import Redis
from rq import Queue


@never_cache
@require_GET
def healthz(request):
    """The process is up and answers; it says nothing about what it depends on."""
    return JsonResponse({"status": "ok"})


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # a readiness probe reports a failure, it never raises one
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis_client():
    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2)


def _redis() -> None:
    _redis_client().ping()


def _queue() -> None:
    Queue("default", connection=_redis_client()).count  # noqa: B018 - asking the queue is the check


@never_cache
@require_GET
def readyz(request):
    """Ready when the database answers and, where configured, Redis and the job queue answer too."""
    checks = {"database": _timed(_database)}
    if settings.REDIS_URL:
        checks["redis"] = _timed(_redis)
        checks["queue"] = _timed(_queue)
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)
