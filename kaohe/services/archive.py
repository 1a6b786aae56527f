"""The backup archive: every record and every uploaded file, taken from one snapshot, with a manifest.

Layout of the zip file:
    manifest.json   format, version, when, from which database, the migrations applied, record counts,
                    and the SHA-256 and size of every other member
    data.json       all records (Django's JSON serialisation, natural keys for users and content types)
    media/<path>    every file a record refers to (evidence, objection evidence, signature images)

Reading checks everything before anything is written: a member missing, extra, renamed outside the
archive, or whose checksum differs, refuses the archive by name.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext_lazy as _

from kaohe.refusals import Refused

FORMAT = "kaohe-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"
# Rebuilt by `migrate` on the target (content types and permissions are referred to by natural key),
# or worthless after a move (sessions).
NOT_KEPT = ["contenttypes", "auth.permission", "sessions"]
CHUNK = 1 << 20


@dataclass(frozen=True)
class Archive:
    """A checked archive: its manifest and the open zip to read the members from."""

    manifest: dict
    zip: zipfile.ZipFile

    def data(self) -> bytes:
        return self.zip.read(DATA)

    def media(self) -> list[str]:
        return sorted(name[len(MEDIA):] for name in self.manifest["files"] if name.startswith(MEDIA))

    def media_file(self, name: str) -> bytes:
        return self.zip.read(MEDIA + name)


def _sha256(chunks) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [(model, field.name) for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, models.FileField)]


def referenced_files() -> list[str]:
    names = set()
    for model, field in _file_fields():
        names.update(model._base_manager.exclude(**{field: ""}).values_list(field, flat=True))
    return sorted(name for name in names if name)


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _snapshot() -> None:
    """Make the open transaction read one snapshot of the whole database.

    SQLite's read transaction already is one. PostgreSQL reads committed data statement by statement
    unless told otherwise, and Django runs MySQL/MariaDB at READ COMMITTED, so both are asked for
    REPEATABLE READ before the transaction's first read.
    """
    if connection.vendor in ("postgresql", "mysql"):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def write_backup(target) -> dict:
    """Write the archive to ``target`` (a path or a binary file object); returns its manifest."""
    with transaction.atomic():
        _snapshot()
        data = io.StringIO()
        call_command("dumpdata", exclude=NOT_KEPT + _without_table(), natural_foreign=True, natural_primary=True,
                     use_base_manager=True, format="json", indent=None, stdout=data)
        counts = _counts()
        files = referenced_files()
        migrations = applied_migrations()
    missing = [name for name in files if not default_storage.exists(name)]
    if missing:
        raise Refused("backup_files_missing", _("These uploaded files are referred to but missing: %(files)s."),
                      files=", ".join(missing[:20]) + (" …" if len(missing) > 20 else ""))
    payload = data.getvalue().encode()
    checksums = {DATA: dict(zip(("sha256", "size"), _sha256([payload]), strict=True))}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.writestr(DATA, payload)
        for name in files:
            with default_storage.open(name, "rb") as source, archive.open(MEDIA + name, "w") as member:
                digest, size = hashlib.sha256(), 0
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    member.write(chunk)
            checksums[MEDIA + name] = {"sha256": digest.hexdigest(), "size": size}
        manifest = {
            "format": FORMAT, "version": VERSION, "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor, "migrations": migrations, "records": counts, "files": checksums,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return manifest


def _without_table() -> list[str]:
    """Models with no table of their own (e.g. django-rq's dashboard entry)."""
    return [model._meta.label for model in apps.get_models() if not model._meta.managed or model._meta.proxy]


def _counts() -> dict[str, int]:
    skipped = {"contenttypes", "sessions"}
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if model._meta.app_label not in skipped and model._meta.label != "auth.Permission"
            and model._meta.label not in _without_table()}


def _damaged(why, **params) -> Refused:
    return Refused("backup_damaged", why, **params)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


def open_archive(source) -> Archive:
    """Open and check an archive; refuses it, naming what is wrong, before anything is restored."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise _damaged(_("This file is not a kaohe backup: it is not a zip archive.")) from None
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise _damaged(_("The archive has no %(member)s."), member=MANIFEST) from None
    except (ValueError, zipfile.BadZipFile):
        raise _damaged(_("The archive's %(member)s cannot be read."), member=MANIFEST) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise _damaged(_("The archive is not a kaohe backup of format version %(version)s."), version=VERSION)
    listed = set(manifest.get("files", {}))
    present = {info.filename for info in archive.infolist() if not info.is_dir()} - {MANIFEST}
    for name in sorted(present | listed):
        if not _safe_member(name):
            raise _damaged(_("The archive holds a member outside its own folder: %(member)s."), member=name)
    if DATA not in listed:
        raise _damaged(_("The archive's manifest does not list %(member)s."), member=DATA)
    for name in sorted(listed - present):
        raise _damaged(_("The archive lacks %(member)s, which its manifest lists."), member=name)
    for name in sorted(present - listed):
        raise _damaged(_("The archive holds %(member)s, which its manifest does not list."), member=name)
    for name in sorted(listed):
        try:
            with archive.open(name) as member:
                digest, size = _sha256(iter(lambda member=member: member.read(CHUNK), b""))
        except (zipfile.BadZipFile, OSError, EOFError):
            raise _damaged(_("The archive's member %(member)s is damaged."), member=name) from None
        expected = manifest["files"][name]
        if digest != expected.get("sha256") or size != expected.get("size"):
            raise _damaged(_("The archive's member %(member)s does not match its checksum."), member=name)
    return Archive(manifest=manifest, zip=archive)
