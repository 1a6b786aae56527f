from django.core.management.base import BaseCommand

from kaohe.actions.ledger import do_import_ledger
from kaohe.management.importing import find_scheme, run_import


class Command(BaseCommand):
    help = (
        "Import ledger rows (unit,rule,quantity,points,date,note) into a scheme. All rows or none; "
        "a file whose rows were already imported writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scheme", required=True)

    def handle(self, *args, file: str, scheme: str, **options):
        found = find_scheme(scheme)
        run_import(self, file, lambda data, name: do_import_ledger(data, name, found))
