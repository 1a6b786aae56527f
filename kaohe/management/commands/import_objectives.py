from django.core.management.base import BaseCommand

from kaohe.actions.appraisal import do_import_objectives
from kaohe.management.importing import find_scheme, run_import


class Command(BaseCommand):
    help = "Import an objectives tree (code,name,weight,owner[,target,kind,cap,rule]); weights add to 100."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scheme", required=True)

    def handle(self, *args, file: str, scheme: str, **options):
        found = find_scheme(scheme)
        run_import(self, file, lambda data, name: do_import_objectives(data, name, found))
