"""The shipped demo years, loaded the way `load_seed_scheme` + `load_demo` load them (demo logins included)."""

from datetime import date

from django.contrib.auth import get_user_model

from kaohe.actions.rounds import do_collect_round, do_decide_round, do_publish_round
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.transitions import do_transition
from kaohe.management.commands.load_demo import DEMO_PASSWORD
from kaohe.management.demo import load_demo, load_demo_people, open_demo_round
from kaohe.management.demo_services import DEMOS, ROUND_DEMOS
from kaohe.management.demo_weighted import set_demo_passwords
from kaohe.workflow.states import Step

FAMILIES = ["town", "employee", "mbo", "dept_kpi", "project", "centre"]


def load_demo_year(*families: str, year: int = 2026) -> dict:
    """Each family's scheme with its demo data and an open round; returns family → round."""
    rounds = {}
    for family in families or FAMILIES:
        scheme = do_load_scheme(family, year)
        if family == "town":
            load_demo(scheme)
        else:
            DEMOS[family](scheme)
            set_demo_passwords(DEMO_PASSWORD)
        load_demo_people(DEMO_PASSWORD)
        rounds[family] = open_demo_round(scheme)
        if rounds[family] is not None and family in ROUND_DEMOS:
            ROUND_DEMOS[family](rounds[family])
    return rounds


def publish_by_actions(round_) -> None:
    """The whole route through the write layer (the pages are tested elsewhere): staff submit, heads sign,
    the collector collects, two meeting members decide, the collector publishes."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["jingban", "fenguan", "zhidao", "huiyi1", "huiyi2"])}
    for sheet in round_.sheets.all():
        do_transition(sheet, Step.SUBMIT, acting_user=users["jingban"])
        do_transition(sheet, Step.SIGN, acting_user=users["fenguan"])
    do_collect_round(round_, acting_user=users["zhidao"])
    do_decide_round(round_, resolution="同意", meeting_date=date(2027, 1, 8), acting_user=users["huiyi1"])
    do_decide_round(round_, resolution="", meeting_date=None, acting_user=users["huiyi2"])
    do_publish_round(round_, acting_user=users["zhidao"])
