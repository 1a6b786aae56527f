"""Restore a backup archive into an empty database: all of it or nothing."""

from __future__ import annotations

import tempfile

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext_lazy as _

from kaohe.actions.audit import audit
from kaohe.models import LedgerEntry, Scheme, Unit
from kaohe.permissions import can_restore_backup
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.archive import Archive, applied_migrations, open_archive


def _refuse_unknown_migrations(archive: Archive) -> None:
    """The archive must come from this version of kaohe or an older one: every migration it had applied
    must exist here (a newer schema cannot be loaded into an older program)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, names in archive.manifest["migrations"].items():
        unknown = [name for name in names if (app, name) not in known]
        if unknown:
            raise Refused("backup_newer", _("The archive comes from a newer version of kaohe (migration %(name)s of "
                                            "%(app)s is unknown here)."), app=app, name=unknown[0])


def _refuse_unless_empty() -> None:
    users = get_user_model().objects.exists()
    if users or Scheme.objects.exists() or Unit.objects.exists() or LedgerEntry.objects.exists():
        raise Refused("restore_not_empty", _("A backup is restored only into an empty database; this one holds data."))


def _refuse_clashing_files(archive: Archive) -> None:
    for name in archive.media():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as present:
                if present.read() != archive.media_file(name):
                    raise Refused("restore_file_clash", _("The file %(name)s already exists with other content."),
                                  name=name)


def _migrate_to(migrations: dict[str, list[str]]) -> None:
    """Bring every app's schema to where the archive's data was taken, so the records load as they were."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    installed = {config.label for config in apps.get_app_configs()}
    for app, names in migrations.items():
        if app not in installed:
            continue
        leaves = [node for node in loader.graph.leaf_nodes() if node[0] == app]
        last = max(names)
        if leaves and (app, last) not in leaves:
            call_command("migrate", app, last, interactive=False, verbosity=0)


def do_restore_backup(source, *, acting_user=None) -> dict:
    """Check the archive, check the database is empty, then load every record and every file.

    Returns the archive's manifest. A damaged archive, a non-empty database or a file that would be
    overwritten is refused before anything is written; a failure while loading leaves the database empty.
    """
    if not can_restore_backup(acting_user):
        raise NotAllowed("admin_only", _("Only the administrator may restore a backup."))
    archive = open_archive(source)
    _refuse_unknown_migrations(archive)
    call_command("migrate", interactive=False, verbosity=0)
    _refuse_unless_empty()
    _refuse_clashing_files(archive)
    # Rows the migrations themselves create (default workflows) come back from the archive as they were.
    call_command("flush", interactive=False, verbosity=0)
    _migrate_to(archive.manifest["migrations"])
    written: list[str] = []
    try:
        with transaction.atomic(), tempfile.NamedTemporaryFile(suffix=".json") as data:
            data.write(archive.data())
            data.flush()
            call_command("loaddata", data.name, verbosity=0)
            for name in archive.media():
                if not default_storage.exists(name):
                    saved = default_storage.save(name, ContentFile(archive.media_file(name)))
                    written.append(saved)
                    if saved != name:
                        raise Refused("restore_file_clash", _("The file %(name)s could not be written under its "
                                                              "own name."), name=name)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    call_command("migrate", interactive=False, verbosity=0)
    manifest = archive.manifest
    audit(acting_user, "restore_backup", target=manifest["created"],
          after={"database": manifest["database"], "records": sum(manifest["records"].values()),
                 "files": len(archive.media()), "migrations": applied_migrations().get("kaohe", [])[-1:]})
    return manifest
