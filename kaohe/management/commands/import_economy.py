from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.economy import do_import_economy
from kaohe.management.importing import find_scheme, run_import
from kaohe.scoring import AsOf


class Command(BaseCommand):
    help = "Import economic figures (unit,indicator,target,actual) for one month of a scheme."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scheme", required=True)
        parser.add_argument("--as-of", required=True, dest="as_of", help="YYYY-MM")

    def handle(self, *args, file: str, scheme: str, as_of: str, **options):
        try:
            month = AsOf.parse(as_of)
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from None
        found = find_scheme(scheme)
        run_import(self, file, lambda data, name: do_import_economy(data, name, found, month))
