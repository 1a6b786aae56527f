"""Jobs: a scheme's recompute asked for from a round's page (or the command line) and a large import, run by an
RQ worker when Redis is configured and in the request otherwise; each records its progress and outcome."""

import logging
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rq import SimpleWorker

from kaohe.actions.jobs import job_queue
from kaohe.models import AuditEvent, Job, LedgerEntry, RuleTotal, ScoreState, Standing
from tests.conftest import own_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_9(settings):
    with own_redis(settings, 9) as connection:
        yield connection


@pytest.fixture
def ledger(town, units, people):
    """Rows written behind the actions' back (as a restore or a repair would): the stored totals know nothing of
    them until a recompute. 城关镇 was late three times in March under 8.1.a (−0.5 each)."""
    rule = town.rules.get(code="8.1.a")
    for day in (2, 9, 16):
        LedgerEntry.objects.create(scheme=town, unit=units["城关镇"], rule=rule, quantity=1, date=date(2026, 3, day),
                                   note=f"迟报 {day}", created_by=people["staff"])
    return rule


def stored(scheme):
    totals = sorted(RuleTotal.objects.filter(scheme=scheme).values_list("unit_id", "rule_id", "month", "count",
                                                                          "quantity", "points"))
    standings = sorted(Standing.objects.filter(scheme=scheme).values_list("unit_id", "month", "total", "key", "rank",
                                                                          "prize", "eligible"))
    return totals, standings


def start_from_round_page(client, round_):
    response = client.post(f"/rounds/{round_.pk}/recompute/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response
    return Job.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def test_a_recompute_from_the_round_page_equals_score_recompute(client, round_, people, ledger, town, units,
                                                                django_capture_on_commit_callbacks):
    client.force_login(people["collector"])
    assert 'id="recompute"' in client.get(f"/rounds/{round_.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        job = start_from_round_page(client, round_)
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.requested_by) == ("done", 2, 2, people["collector"])
    late = RuleTotal.objects.filter(scheme=town, unit=units["城关镇"], rule=ledger).order_by("month")
    # March onwards, three rows, quantity 3 in ten-thousandths
    assert [(t.month, t.count, t.quantity) for t in late] == [(m, 3, 30000) for m in range(3, 13)]
    december = {s.unit.name: s for s in Standing.objects.filter(scheme=town, month=12).select_related("unit")}
    assert december["东山镇"].total - december["城关镇"].total == Decimal("1.5")
    assert job.result["standings"] == len(units) and job.result["ledger_high"] == max(
        LedgerEntry.objects.values_list("id", flat=True))
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-state="done"' in page and 'id="job-summary"' in page and 'http-equiv="refresh"' not in page
    assert AuditEvent.objects.filter(action="scores.recompute", user=people["collector"]).count() == 1
    assert AuditEvent.objects.filter(action="job.recompute.start", user=people["collector"]).count() == 1

    by_job = stored(town)
    RuleTotal.objects.filter(scheme=town).delete()
    Standing.objects.filter(scheme=town).delete()
    ScoreState.objects.filter(scheme=town).delete()
    call_command("score", "--scheme", town.code, "--recompute", stdout=StringIO())
    assert stored(town) == by_job


def test_only_the_collector_and_administrators_recompute(client, round_, people, ledger):
    for who in ("staff", "head", "m1", "town", "observer"):
        client.force_login(people[who])
        assert client.post(f"/rounds/{round_.pk}/recompute/").status_code == 403, who
    client.force_login(people["staff"])
    assert 'id="recompute"' not in client.get(f"/rounds/{round_.pk}/").content.decode()
    assert not Job.objects.exists() and not RuleTotal.objects.exists()


def test_a_job_page_is_for_who_asked_and_administrators(client, round_, people, ledger,
                                                        django_capture_on_commit_callbacks):
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start_from_round_page(client, round_)
    client.force_login(people["staff"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    client.force_login(people["admin"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


def test_with_redis_the_recompute_is_an_rq_job(client, round_, people, ledger, town, redis_9,
                                               django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start_from_round_page(client, round_)
    job.refresh_from_db()
    assert job.state == "queued" and job_queue().count == 1 and not RuleTotal.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'id="job-summary"' not in page
    with django_capture_on_commit_callbacks(execute=True):  # a second one while the first waits is refused
        client.post(f"/rounds/{round_.pk}/recompute/")
    assert Job.objects.count() == 1
    SimpleWorker([job_queue()], connection=redis_9).work(burst=True)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 2, 2)
    assert RuleTotal.objects.filter(scheme=town, rule=ledger, month=12).get().count == 3


def test_when_redis_does_not_answer_the_job_runs_inline(client, round_, people, ledger, settings, caplog,
                                                        django_capture_on_commit_callbacks):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    client.force_login(people["collector"])
    with caplog.at_level(logging.WARNING, logger="kaohe.actions.jobs"), \
            django_capture_on_commit_callbacks(execute=True):
        job = start_from_round_page(client, round_)
    job.refresh_from_db()
    assert job.state == "done" and any("running it inline" in r.getMessage() for r in caplog.records)


def test_a_failing_job_says_why(client, round_, people, ledger, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kaohe.actions.recompute.do_recompute_scores", broken)
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start_from_round_page(client, round_)
    job.refresh_from_db()
    assert job.state == "failed" and "No space left on device" in job.error and job.summary == ""
    assert "No space left on device" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_the_command_line_hands_the_recompute_to_a_job(town, ledger, units, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the command commits at once; a test's transaction not
        call_command("score", "--scheme", town.code, "--recompute", "--background", "--as-of", "2026-06", stdout=out)
    job = Job.objects.get()
    assert out.getvalue().startswith(f"job #{job.pk}: ") and job.parameters["months"] == [6] and job.state == "done"
    june = RuleTotal.objects.get(scheme=town, unit=units["城关镇"], rule=ledger, month=6)
    assert june.count == 3 and Standing.objects.filter(scheme=town, month=6).count() == len(units)


def test_with_redis_a_large_import_is_an_rq_job(client, town, people, redis_9, monkeypatch,
                                                django_capture_on_commit_callbacks):
    monkeypatch.setattr("kaohe.actions.uploads.BACKGROUND_ROWS", 2)
    client.force_login(people["staff"])
    rows = "".join(f"东山镇,8.1.a,1,,2026-04-{day:02d},迟报\n" for day in range(1, 5))
    data = ("unit,rule,quantity,points,date,note\n" + rows).encode()
    where = client.post("/imports/ledger/", {"file": SimpleUploadedFile("four.csv", data), "scheme": town.code})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(where["Location"] + "confirm/")
    job = Job.objects.get(kind="import")
    assert response["Location"] == f"/jobs/{job.pk}/" and job.state == "queued" and job.total == 4
    assert LedgerEntry.objects.count() == 0
    SimpleWorker([job_queue()], connection=redis_9).work(burst=True)
    job.refresh_from_db()
    assert job.state == "done" and job.result["created"] == 4 and LedgerEntry.objects.count() == 4
    assert set(LedgerEntry.objects.values_list("created_by", flat=True)) == {people["staff"].pk}
