from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from kaohe.management.importing import find_scheme
from kaohe.services.demo import load_demo

DEMO_USER, DEMO_PASSWORD = "admin", "kaohe-demo-2026"


class Command(BaseCommand):
    help = "Load a demo year (units, economic figures, ledger) into town-<year>. Running it twice is harmless."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        scheme = find_scheme(f"town-{year}")
        for line in load_demo(scheme):
            self.stdout.write(line)
        if settings.DEBUG:
            users = get_user_model().objects
            if not users.filter(username=DEMO_USER).exists():
                users.create_superuser(DEMO_USER, "admin@example.invalid", DEMO_PASSWORD)
            self.stdout.write(f"demo login (DEBUG only): {DEMO_USER} / {DEMO_PASSWORD}")
