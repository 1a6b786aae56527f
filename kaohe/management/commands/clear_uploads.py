from django.core.management.base import BaseCommand, CommandError

from kaohe.actions.upload_cleanup import KEEP_DAYS, do_clear_stale_uploads
from kaohe.refusals import Refused


class Command(BaseCommand):
    help = "Remove uploaded import files (record and file) never confirmed and older than --days; each is audited."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEEP_DAYS,
                            help=f"keep uploads younger than this many days (default {KEEP_DAYS})")

    def handle(self, *args, days: int, **options):
        try:
            removed = do_clear_stale_uploads(days=days, acting_user=None)
        except Refused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"removed {len(removed)} uploaded file(s) older than {days} day(s) never confirmed")
