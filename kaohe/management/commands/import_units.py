from django.core.management.base import BaseCommand

from kaohe.actions.units import do_import_units
from kaohe.management.importing import run_import


class Command(BaseCommand):
    help = "Import assessed units or people from CSV or XLSX: name,group and optionally user (a login)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        run_import(self, file, do_import_units)
