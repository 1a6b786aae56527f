from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.backup import do_restore_backup
from kaohe.refusals import Refused


class Command(BaseCommand):
    help = "Restore an archive written by `backup` into an empty database (checked first; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `manage.py backup`")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, "rb") as source:
                manifest = do_restore_backup(source, acting_user=None)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except Refused as refused:
            raise CommandError(str(refused)) from None
        records = sum(manifest["records"].values())
        self.stdout.write(f"restored {records} records taken {manifest['created']} from {manifest['database']}")
