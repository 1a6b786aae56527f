"""What the import commands share: read the file, run the importer, report every bad row."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaohe.imports.errors import ImportRejected
from kaohe.imports.reader import MAX_FILE_BYTES
from kaohe.models import Scheme
from kaohe.refusals import Refused


def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"no such file: {path}")
    if file.stat().st_size > MAX_FILE_BYTES:  # refused before a byte is read
        raise CommandError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into smaller files")
    return file.read_bytes()


def find_scheme(code: str) -> Scheme:
    scheme = Scheme.objects.filter(code=code).first()
    if scheme is None:
        known = ", ".join(Scheme.objects.values_list("code", flat=True)) or "none yet"
        raise CommandError(f"no scheme {code!r} (known: {known})")
    return scheme


def run_import(command: BaseCommand, path: str, importer) -> None:
    try:
        outcome = importer(read_file(path), Path(path).name)
    except ImportRejected as rejected:
        for error in rejected.errors:
            command.stderr.write(f"{path}: {error}")
        raise CommandError(f"{len(rejected.errors)} problem(s) in {path}; nothing was imported") from None
    except Refused as refused:
        raise CommandError(f"{path}: {refused}; nothing was imported") from None
    command.stdout.write(outcome.summary())
