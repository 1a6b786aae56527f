"""A worker killed mid-batch: the batch stops making progress, is reported as stopped with how far it got,
offers nothing, and can be retried; a batch still making progress cannot be retried under its worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kaohe.models import PrintBatch
from kaohe.printing.render import current_format

pytestmark = pytest.mark.django_db


def running(round_, people, *, silent_for: timedelta) -> PrintBatch:
    """A batch as a killed worker leaves it: running, 12 of 40 done, last progress ``silent_for`` ago."""
    batch = PrintBatch.objects.create(format=current_format("scorecard"), round=round_, state=PrintBatch.RUNNING,
                                      done=12, total=40, requested_by=people["collector"])
    PrintBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - silent_for)
    batch.refresh_from_db()
    return batch


def test_a_batch_whose_worker_died_is_reported_stopped_and_can_be_retried(client, round_, people, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.REDIS_URL = ""
    batch = running(round_, people, silent_for=PrintBatch.STALLED_AFTER + timedelta(seconds=5))
    assert batch.stalled()
    client.force_login(people["collector"])
    page = client.get(f"/print/batches/{batch.pk}/").content.decode()
    assert 'id="batch-stalled"' in page and "12" in page and "40" in page
    assert 'id="batch-retry"' in page and 'http-equiv="refresh"' not in page and 'id="batch-download"' not in page
    assert client.get(f"/print/batches/{batch.pk}/file/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/print/batches/{batch.pk}/retry/")
    batch.refresh_from_db()
    assert batch.state == PrintBatch.DONE and batch.done == batch.total == 6
    assert client.get(f"/print/batches/{batch.pk}/file/").status_code == 200


def test_a_batch_still_making_progress_is_not_retried(client, round_, people):
    batch = running(round_, people, silent_for=timedelta(seconds=10))
    assert not batch.stalled()
    client.force_login(people["collector"])
    page = client.get(f"/print/batches/{batch.pk}/").content.decode()
    assert 'id="batch-stalled"' not in page and 'id="batch-retry"' not in page and 'http-equiv="refresh"' in page
    client.post(f"/print/batches/{batch.pk}/retry/")
    batch.refresh_from_db()
    assert (batch.state, batch.done) == (PrintBatch.RUNNING, 12)
