from pathlib import Path

from django.core.management.base import BaseCommand

from kaohe.management.importing import find_scheme
from kaohe.services.scheme_yaml import export_scheme


class Command(BaseCommand):
    help = "Write a scheme of any method (items, rules, weights, grades, quotas, sources, route) as one YAML file."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the scheme's code, e.g. town-2026")
        parser.add_argument("file", help="the YAML file to write; - for standard output")

    def handle(self, *args, code: str, file: str, **options):
        text = export_scheme(find_scheme(code))
        if file == "-":
            self.stdout.write(text, ending="")
        else:
            Path(file).write_text(text, encoding="utf-8")
            self.stdout.write(f"{code} → {file}")
