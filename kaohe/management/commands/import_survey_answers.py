from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.surveys import do_import_paper_forms
from kaohe.management.importing import run_import
from kaohe.models import Survey


class Command(BaseCommand):
    help = "Import returned paper questionnaires (token or group,unit, then one column per question number)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--survey", type=int, required=True, help="the survey's number (its Desk page)")

    def handle(self, *args, file: str, survey: int, **options):
        found = Survey.objects.filter(pk=survey).first()
        if found is None:
            raise CommandError(f"no survey {survey}")
        run_import(self, file, lambda data, name: do_import_paper_forms(data, name, found, acting_user=None))
