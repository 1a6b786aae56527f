from django.core.management.base import BaseCommand

from kaohe.actions.appraisal import do_import_ratings
from kaohe.management.importing import find_scheme, run_import


class Command(BaseCommand):
    help = "Import ratings (ratee,criterion,source,group,rater,rating,period) into a weighted scheme."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scheme", required=True)

    def handle(self, *args, file: str, scheme: str, **options):
        found = find_scheme(scheme)
        run_import(self, file, lambda data, name: do_import_ratings(data, name, found))
