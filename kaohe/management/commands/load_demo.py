from django.conf import settings
from django.core.management.base import BaseCommand

from kaohe.management.importing import find_scheme
from kaohe.services.demo import load_demo, load_demo_people, open_demo_round

DEMO_PASSWORD = "kaohe-demo-2026"


class Command(BaseCommand):
    help = "Load a demo year (units, economic figures, ledger) into town-<year>. Running it twice is harmless."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        scheme = find_scheme(f"town-{year}")
        for line in load_demo(scheme):
            self.stdout.write(line)
        if settings.DEBUG:
            made = load_demo_people(DEMO_PASSWORD)
            if made:
                self.stdout.write(f"demo users: {', '.join(made)}")
            round_ = open_demo_round(scheme)
            if round_:
                self.stdout.write(f"opened round: {round_}")
            self.stdout.write(f"demo logins (DEBUG only): admin, jingban (staff), fenguan (head), zhidao "
                              f"(collector), huiyi1-3 (meeting), chengguan (town) — password {DEMO_PASSWORD}")
