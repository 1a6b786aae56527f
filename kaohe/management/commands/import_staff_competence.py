from django.core.management.base import BaseCommand

from kaohe.actions.staff_competence import do_import_staff_competence
from kaohe.management.importing import find_scheme, run_import


class Command(BaseCommand):
    help = ("Each service centre's staff competence: the mean composite of its staff (centre,person) in the "
            "employee appraisal, e.g. --scheme centre-2026 --from employee-2026.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scheme", required=True)
        parser.add_argument("--from", dest="source", required=True, help="the employee appraisal scheme")

    def handle(self, *args, file: str, scheme: str, source: str, **options):
        found, employees = find_scheme(scheme), find_scheme(source)
        run_import(self, file, lambda data, name: do_import_staff_competence(data, name, found,
                                                                             employee_scheme=employees))
