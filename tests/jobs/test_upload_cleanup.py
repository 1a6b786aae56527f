"""Uploaded import files never confirmed are removed after a while, record and file, each audited; imported files
and files whose import job is at work are kept."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from kaohe.actions.upload_cleanup import do_clear_stale_uploads
from kaohe.actions.uploads import do_upload_import_file
from kaohe.models import AuditEvent, ImportUpload, Job
from kaohe.refusals import NotAllowed

pytestmark = pytest.mark.django_db
ROWS = "unit,rule,quantity,points,date,note\n城关镇,8.1.a,1,,2026-03-01,迟报\n".encode()


def upload(user, scheme, name):
    return do_upload_import_file("ledger", SimpleUploadedFile(name, ROWS), scheme=scheme, acting_user=user)


def age(made, days):
    """Backdated once every upload is made: a later upload clears its uploader's stale ones."""
    ImportUpload.objects.filter(pk=made.pk).update(uploaded_at=timezone.now() - timedelta(days=days))


def test_the_command_removes_old_unconfirmed_uploads_with_their_files_and_keeps_the_rest(
        town, people, media, django_capture_on_commit_callbacks):
    staff = people["staff"]
    old, failed, recent, imported, working = (
        upload(staff, town, name) for name in ("old.csv", "failed.csv", "recent.csv", "imported.csv", "working.csv"))
    for made, days in ((old, 8), (failed, 9), (recent, 6), (imported, 30), (working, 10)):
        age(made, days)
    ImportUpload.objects.filter(pk=failed.pk).update(
        job=Job.objects.create(kind="import", state=Job.FAILED, requested_by=staff))
    ImportUpload.objects.filter(pk=imported.pk).update(imported_at=timezone.now() - timedelta(days=30))
    ImportUpload.objects.filter(pk=working.pk).update(
        job=Job.objects.create(kind="import", state=Job.QUEUED, requested_by=staff))
    files = {u.filename: media / u.path for u in (old, failed, recent, imported, working)}
    assert all(path.is_file() for path in files.values())

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clear_uploads", "--days", "7", stdout=out)

    assert "removed 2 " in out.getvalue()
    assert set(ImportUpload.objects.values_list("filename", flat=True)) == {"recent.csv", "imported.csv",
                                                                          "working.csv"}
    assert not files["old.csv"].exists() and not files["failed.csv"].exists()
    assert files["recent.csv"].is_file() and files["working.csv"].is_file() and files["imported.csv"].is_file()
    cleared = AuditEvent.objects.filter(action="import.upload.clear")
    assert sorted(e.before["file"] for e in cleared) == ["failed.csv", "old.csv"]
    assert all(e.user is None and e.after == {"days": 7} for e in cleared)


def test_a_shorter_keep_removes_younger_uploads_too(town, people, media, django_capture_on_commit_callbacks):
    young = upload(people["staff"], town, "young.csv")
    age(young, 3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clear_uploads", "--days", "7", stdout=io.StringIO())
    assert ImportUpload.objects.filter(pk=young.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clear_uploads", "--days", "2", stdout=io.StringIO())
    assert not ImportUpload.objects.filter(pk=young.pk).exists() and not (media / young.path).exists()


def test_a_new_upload_clears_its_uploaders_own_stale_files_only(town, people, media,
                                                                django_capture_on_commit_callbacks):
    mine, theirs = upload(people["staff"], town, "mine.csv"), upload(people["admin"], town, "theirs.csv")
    age(mine, 8)
    age(theirs, 8)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = upload(people["staff"], town, "fresh.csv")
    assert set(ImportUpload.objects.values_list("pk", flat=True)) == {theirs.pk, fresh.pk}
    assert not (media / mine.path).exists() and (media / theirs.path).is_file()
    event = AuditEvent.objects.get(action="import.upload.clear")
    assert event.user == people["staff"] and event.before["file"] == "mine.csv"


def test_only_an_administrator_clears_other_peoples_uploads_and_a_day_is_the_least(town, people):
    old = upload(people["admin"], town, "old.csv")
    age(old, 8)
    with pytest.raises(NotAllowed):
        do_clear_stale_uploads(acting_user=people["staff"])
    with pytest.raises(NotAllowed):
        do_clear_stale_uploads(owner=people["admin"], acting_user=people["staff"])
    assert ImportUpload.objects.filter(pk=old.pk).exists()
    with translation.override("en"), pytest.raises(CommandError, match="at least one day"):
        call_command("clear_uploads", "--days", "0")
    assert do_clear_stale_uploads(acting_user=people["admin"]) == ["old.csv"]


def test_an_upload_whose_job_stalled_is_abandoned(town, people, media, django_capture_on_commit_callbacks):
    staff = people["staff"]
    stalled = upload(staff, town, "stalled.csv")
    age(stalled, 8)
    long_ago = timezone.now() - timedelta(days=8)
    job = Job.objects.create(kind="import", state=Job.RUNNING, requested_by=staff)
    Job.objects.filter(pk=job.pk).update(requested_at=long_ago, heartbeat_at=long_ago)  # its worker died
    ImportUpload.objects.filter(pk=stalled.pk).update(job=job)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_clear_stale_uploads(acting_user=None) == ["stalled.csv"]
    assert not (media / stalled.path).exists()
