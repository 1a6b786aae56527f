from django.conf import settings
from django.core.management.base import BaseCommand

from kaohe.management.demo import load_demo, load_demo_people, open_demo_round
from kaohe.management.demo_services import DEMOS, ROUND_DEMOS
from kaohe.management.demo_weighted import set_demo_passwords
from kaohe.management.importing import find_scheme

DEMO_PASSWORD = "kaohe-demo-2026"


class Command(BaseCommand):
    help = "Load a demo year into a seed scheme (default the town scheme). Running it twice is harmless."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--family", default="town", choices=["town", *DEMOS])

    def handle(self, *args, year: int, family: str, **options):
        scheme = find_scheme(f"{family.replace('_', '-')}-{year}")
        for line in (load_demo(scheme) if family == "town" else DEMOS[family](scheme)):
            self.stdout.write(line)
        if settings.DEBUG:
            if family != "town":
                set_demo_passwords(DEMO_PASSWORD)
            made = load_demo_people(DEMO_PASSWORD)
            if made:
                self.stdout.write(f"demo users: {', '.join(made)}")
            round_ = open_demo_round(scheme)
            if round_:
                self.stdout.write(f"opened round: {round_}")
                for line in ROUND_DEMOS.get(family, lambda _r: [])(round_):
                    self.stdout.write(line)
            self.stdout.write(f"demo logins (DEBUG only): admin, jingban (staff), fenguan (head), zhidao "
                              f"(collector), huiyi1-3 (meeting), guancha (observer), chengguan (town), "
                              f"zhangsan, lisi, chenjing (employees), zhangwei (an MBO owner) — "
                              f"password {DEMO_PASSWORD}")
