from django.core.management.base import BaseCommand, CommandError

from kaohe.management.importing import find_scheme
from kaohe.report.scores import as_csv, as_json, as_table
from kaohe.scoring import AsOf
from kaohe.services.scoring import score


class Command(BaseCommand):
    help = "Score a scheme: totals, vetoes, ranks and prizes; --format json adds every item's explanation."

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True)
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM; default December of the scheme's year")
        parser.add_argument("--group", help="only this group (town, entity, direct)")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args, scheme: str, as_of: str | None, group: str | None, format: str, **options):
        found = find_scheme(scheme)
        month = None
        if as_of:
            try:
                month = AsOf.parse(as_of)
            except ValueError as exc:
                raise CommandError(f"--as-of: {exc}") from None
            if month.year != found.year:
                raise CommandError(f"--as-of must be in the scheme's year {found.year}")
        groups = set(found.groups.values_list("group__code", flat=True))
        if group and group not in groups:
            raise CommandError(f"--group: {group!r} is not ranked in {found.code} (known: {', '.join(sorted(groups))})")
        result = score(found, as_of=month, group=group, explain=format == "json")
        render = {"table": as_table, "json": as_json, "csv": as_csv}[format]
        self.stdout.write(render(result), ending="")
