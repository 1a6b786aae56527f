from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.surveys import do_invite
from kaohe.models import Survey
from kaohe.printing.invitations import invitation_document
from kaohe.printing.render import current_format, print_documents
from kaohe.refusals import Refused
from kaohe.services.surveys import invitation_groups, survey_units


class Command(BaseCommand):
    help = ("Make single-use invitations for a survey and write their sheets (one page each, link and QR code) "
            "to a PDF: the only place the links exist.")

    def add_arguments(self, parser):
        parser.add_argument("--survey", type=int, required=True)
        parser.add_argument("--group", required=True, help="the invitation group's code")
        parser.add_argument("--count", type=int, required=True, help="respondents per unit")
        parser.add_argument("--unit", action="append", default=[], help="a unit's name (default: every unit)")
        parser.add_argument("--out", required=True)

    def handle(self, *args, survey: int, group: str, count: int, unit: list[str], out: str, **options):
        found = Survey.objects.select_related("round__scheme", "questionnaire", "source").filter(pk=survey).first()
        if found is None:
            raise CommandError(f"no survey {survey}")
        units = {u.name: u.pk for u in survey_units(found)}
        unknown = [name for name in unit if name not in units]
        if unknown:
            raise CommandError(f"not asked about in this survey: {', '.join(unknown)}")
        chosen = [units[name] for name in unit] or list(units.values())
        fmt = current_format("survey_invitation")
        if fmt is None:  # checked first: tokens issued without their sheet could never be handed out
            raise CommandError("the print format survey_invitation is not installed (run migrate)")
        try:
            issued = do_invite(found, [(group, pk, count) for pk in chosen], acting_user=None)
        except Refused as refused:
            raise CommandError(str(refused)) from None
        pdf = print_documents(fmt, [invitation_document(found, issued, invitation_groups(found.source))]).pdf
        Path(out).write_bytes(pdf)
        self.stdout.write(f"{len(issued)} invitations written to {out}")
