from django.core.management.base import BaseCommand

from kaohe.actions.units import do_import_groups
from kaohe.management.importing import run_import


class Command(BaseCommand):
    help = "Import org units (departments, groups of units) from CSV or XLSX with columns code,name."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        run_import(self, file, do_import_groups)
