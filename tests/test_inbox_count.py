"""The inbox badge counts exactly the lines the inbox lists, for every role, as sheets move along the route."""

import pytest

from kaohe.actions.transitions import do_transition
from kaohe.services.inbox import todo_count, waiting_for
from kaohe.services.progress import unreviewed_count
from kaohe.services.rating_entry import open_assignments

from .conftest import fresh

pytestmark = pytest.mark.django_db


def listed(user) -> int:
    """What the inbox page shows, line by line."""
    waiting = waiting_for(user)
    return (len(waiting["to_fill"]) + len(waiting["to_sign"]) + waiting["rounds"].count()
            + waiting["objections"].count() + open_assignments(user).count() + unreviewed_count(user))


def test_the_badge_equals_the_inbox_lines(people, round_):
    def check() -> dict[str, int]:
        counts = {}
        for name, user in people.items():
            counts[name] = todo_count(fresh(user))
            assert counts[name] == listed(fresh(user)), name
        return counts

    at_start = check()
    assert at_start["staff2"] == 1  # 安全 only: one round × one section to fill
    assert at_start["staff"] > 1 and at_start["collector"] == 1  # the open round is the collector's to collect
    assert at_start["town"] == 0 and at_start["observer"] == 0

    anquan = list(round_.sheets.filter(section__code="anquan"))
    for sheet in anquan:
        do_transition(sheet, "submit", acting_user=fresh(people["staff2"]))
    submitted = check()
    assert submitted["staff2"] == 0
    assert submitted["head2"] == at_start["head2"] + 1  # now one line to sign

    for sheet in anquan:
        do_transition(sheet, "sign", acting_user=fresh(people["head2"]))
    assert check()["head2"] == at_start["head2"]
