"""backup → restore into an empty database: the same scores, signatures that still verify, the same files;
a damaged archive or a database with data is refused by name and nothing is written."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kaohe.actions.ledger import do_record_entry
from kaohe.actions.transitions import do_transition
from kaohe.models import AuditEvent, Evidence, LedgerEntry, Scheme, Signature
from kaohe.services.signatures import verify
from tests.conftest import fresh
from tests.test_route import sheet

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4 evidence of a late report \xe6\x8a\xa5"


@pytest.fixture
def year(round_, people, settings, tmp_path):
    """A round with rows, an evidence file and a signed sheet."""
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = fresh(people["staff"])
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-03-01",
                                          "note": "迟报两次"}, files=[SimpleUploadedFile("迟报.pdf", PDF)],
                    acting_user=staff)
    do_record_entry(round_.scheme, cells={"unit": "东山镇", "rule": "8.1.a", "quantity": "1", "date": "2026-04-02",
                                          "note": "迟报一次"}, acting_user=staff)
    s = sheet(round_, "caitong", "城关镇")
    do_transition(s, "submit", acting_user=staff)
    do_transition(s, "sign", acting_user=fresh(people["head"]))
    return round_


def scores(code: str) -> str:
    out = io.StringIO()
    call_command("score", scheme=code, format="json", stdout=out)
    return out.getvalue()


def test_backup_then_restore_into_an_empty_database_gives_back_everything(year, tmp_path, settings):
    code = year.scheme.code
    before = scores(code)
    evidence = {e.file.name: e.file.read() for e in Evidence.objects.all()}
    signatures = {s.digest for s in Signature.objects.all()}
    rows = LedgerEntry.objects.count()
    archive = tmp_path / "kaohe.zip"
    call_command("backup", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    assert not Scheme.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "restored" in out.getvalue()
    assert scores(code) == before
    assert LedgerEntry.objects.count() == rows
    assert {s.digest for s in Signature.objects.all()} == signatures
    assert all(verify(s)["valid"] for s in Signature.objects.all())
    assert {e.file.name: e.file.read() for e in Evidence.objects.all()} == evidence == {
        name: PDF for name in evidence}
    assert AuditEvent.objects.filter(action="restore_backup").count() == 1


def test_the_manifest_lists_every_member_with_its_checksum(year, tmp_path):
    archive = tmp_path / "kaohe.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        members = set(z.namelist()) - {"manifest.json"}
    assert set(manifest["files"]) == members
    assert "data.json" in members and any(name.startswith("media/evidence/") for name in members)
    assert manifest["records"]["kaohe.LedgerEntry"] == 2
    assert manifest["migrations"]["kaohe"][-1] == max(manifest["migrations"]["kaohe"])


def _rewrite(source, target, change):
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for info in z.infolist():
            data = change(info.filename, z.read(info.filename))
            if data is not None:
                out.writestr(info.filename, data)


@pytest.mark.parametrize(("change", "named"), [
    (lambda name, data: data.replace(b"\xe8\xbf\x9f\xe6\x8a\xa5", b"XXXXXX") if name == "data.json" else data,
     "data.json"),
    (lambda name, data: None if name.startswith("media/") else data, "media/evidence/"),
    (lambda name, data: b"not json" if name == "manifest.json" else data, "manifest.json"),
])
def test_a_damaged_archive_is_refused_by_name_and_nothing_is_written(year, tmp_path, change, named):
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    call_command("backup", str(good), stdout=io.StringIO())
    _rewrite(good, bad, change)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match=named.replace("/", ".")):
        call_command("restore", str(bad), stdout=io.StringIO())
    assert not Scheme.objects.exists() and not LedgerEntry.objects.exists()


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    bad = tmp_path / "backup.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(CommandError, match="zip"):
        call_command("restore", str(bad), stdout=io.StringIO())


def test_restore_refuses_a_database_that_holds_data(year, tmp_path):
    archive = tmp_path / "kaohe.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    rows = LedgerEntry.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert LedgerEntry.objects.count() == rows
