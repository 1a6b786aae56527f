from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.printing import do_install_shipped_formats
from kaohe.actions.schemes import do_load_scheme
from kaohe.numbers import plain
from kaohe.refusals import Refused
from kaohe.services.seed import SchemeFileError, scheme_file


class Command(BaseCommand):
    help = "Create or update a seed scheme (default: the town scheme) for a year, e.g. town-2026."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--family", default="town", help="Which file of fixtures/schemes to load.")

    def handle(self, *args, year: int, family: str, **options):
        if not scheme_file(family).exists():
            raise CommandError(f"no seed scheme called {family!r}")
        if not 2000 <= year <= 2100:
            raise CommandError(f"year {year} is out of range (2000–2100)")
        try:
            scheme = do_load_scheme(family, year)
        except (SchemeFileError, Refused) as exc:
            raise CommandError(str(exc)) from None
        total = sum(i.base for i in scheme.indicators.filter(parent__isnull=True))
        size = (f"{scheme.code}: {scheme.indicators.filter(parent__isnull=True).count()} categories, "
                f"{scheme.indicators.count()} indicators, {scheme.rules.count()} rules")
        if scheme.method == "points":
            self.stdout.write(f"{size}, base {plain(total)} points")
        else:
            self.stdout.write(f"{size}, {scheme.method}, {scheme.sources.count()} rating sources, "
                              f"grades {'/'.join(scheme.grades.values_list('code', flat=True))}")
        installed = do_install_shipped_formats()  # the shipped print formats, unless they are there already
        if installed:
            self.stdout.write(f"print formats: {', '.join(f.code for f in installed)}")
