from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.scheme_import import do_import_scheme
from kaohe.imports.errors import ImportRejected
from kaohe.refusals import Refused
from kaohe.services.scheme_yaml import scheme_document


class Command(BaseCommand):
    help = "Create a scheme from a file written by export_scheme; every record is checked, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from None
        try:
            scheme = do_import_scheme(text, acting_user=None)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(rejected.errors)} problem(s) in {file}; nothing was imported") from None
        except Refused as refused:
            raise CommandError(f"{file}: {refused}") from None
        self.stdout.write(f"imported {scheme.code}")
        if "route:" in text and scheme_document(scheme)["route"] != _route_in(text):
            self.stdout.write("note: the file's approval route differs from this system's; this system's route is kept")


def _route_in(text: str):
    return (yaml.safe_load(text) or {}).get("route")
