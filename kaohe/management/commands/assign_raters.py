from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.rating_entry import do_assign_raters
from kaohe.imports.assignments import validate_assignments
from kaohe.imports.errors import ImportRejected
from kaohe.management.importing import read_file
from kaohe.models import Round
from kaohe.refusals import Refused


class Command(BaseCommand):
    help = "Assign raters for a round (ratee,source,group,rater); they rate in the Desk under 'my ratings to give'."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--round", type=int, required=True, help="the round's number (its id in the Desk)")

    def handle(self, *args, file: str, round: int, **options):
        round_ = Round.objects.filter(pk=round).select_related("scheme").first()
        if round_ is None:
            raise CommandError(f"no round {round}")
        try:
            made = do_assign_raters(round_, validate_assignments(read_file(file), file, round_), acting_user=None)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(rejected.errors)} problem(s) in {file}; nothing was assigned") from None
        except Refused as refused:
            raise CommandError(f"{file}: {refused}; nothing was assigned") from None
        self.stdout.write(f"{made} new assignments in {round_.name}")
