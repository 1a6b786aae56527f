from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.aggregates import do_recompute_scores
from kaohe.actions.recompute import do_start_recompute
from kaohe.management.importing import find_scheme
from kaohe.refusals import Refused
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
        parser.add_argument("--recompute", action="store_true",
                            help="score from the whole ledger and rebuild the stored totals and standings from it "
                                 "(keeping standings for --as-of's month too)")
        parser.add_argument("--background", action="store_true",
                            help="with --recompute: hand the rebuild to the job worker (inline without REDIS_URL) "
                                 "and print the job's number instead of the scores")

    def handle(self, *args, scheme: str, as_of: str | None, group: str | None, format: str, recompute: bool = False,
               background: bool = False, **options):
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
        if background:
            if not recompute:
                raise CommandError("--background goes with --recompute")
            try:
                job = do_start_recompute(found, months=[month.month] if month else [], acting_user=None)
            except Refused as refused:
                raise CommandError(str(refused)) from None
            job.refresh_from_db()
            self.stdout.write(f"job #{job.pk}: {job.state}{': ' + job.summary if job.summary else ''}")
            return
        if recompute:
            do_recompute_scores(found, months=[month.month] if month else [])
        # The stored totals when they are current (a lookup), else the ledger; --recompute always reads the ledger.
        result = score(found, as_of=month, group=group, explain=format == "json", stored=not recompute)
        render = {"table": as_table, "json": as_json, "csv": as_csv}[format]
        self.stdout.write(render(result), ending="")
