from django.core.management.base import BaseCommand, CommandError

from kaohe.refusals import Refused
from kaohe.services.archive import write_backup


class Command(BaseCommand):
    help = "Write every record and every uploaded file, from one snapshot, into one archive with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write (a .zip file)")

    def handle(self, *args, file: str, **options):
        try:
            manifest = write_backup(file)
        except Refused as refused:
            raise CommandError(str(refused)) from None
        records = sum(manifest["records"].values())
        files = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"{file}: {records} records, {files} files, taken {manifest['created']}")
