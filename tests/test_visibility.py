"""Who sees what once a round is published (permissions.AFTER_PUBLICATION), role by role."""

import pytest
from django.utils import timezone

from kaohe.models import LedgerEntry, Rule
from kaohe.permissions import (
    ALL_DETAILS,
    OWN_DETAIL,
    RANKING,
    can_view_ledger_row,
    can_view_ranking,
    can_view_unit_ledger,
    can_view_unit_result,
    published_sight,
)

from .conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(round_):
    round_.published_at = timezone.now()
    round_.save(update_fields=["published_at"])
    return round_


@pytest.mark.parametrize(("who", "sight"), [
    ("admin", {RANKING, ALL_DETAILS}), ("collector", {RANKING, ALL_DETAILS}), ("m1", {RANKING, ALL_DETAILS}),
    ("staff", {RANKING, ALL_DETAILS}), ("head", {RANKING, ALL_DETAILS}), ("town", {OWN_DETAIL}),
    ("observer", {RANKING}),
])
def test_what_each_role_sees_after_publication(people, town, who, sight):
    assert published_sight(fresh(people[who]), town) == sight


def test_the_observer_sees_the_ranking_but_no_unit_detail(people, units, published):
    observer = fresh(people["observer"])
    assert can_view_ranking(observer, published)
    assert not can_view_unit_result(observer, published, units["城关镇"])


def test_a_scheme_may_let_the_observer_see_every_detail(people, units, published, town):
    town.observer_sees = "details"
    town.save()
    published.scheme.refresh_from_db()
    assert can_view_unit_result(fresh(people["observer"]), published, units["城关镇"])


def test_a_town_sees_its_own_detail_only_and_no_ranking(people, units, published):
    town_user = fresh(people["town"])
    assert can_view_unit_result(town_user, published, units["城关镇"])
    assert not can_view_unit_result(town_user, published, units["东山镇"])
    assert not can_view_ranking(town_user, published)


def test_before_publication_only_the_approvers_see_results(people, units, round_):
    for who in ("staff", "head", "observer", "town"):
        assert not can_view_ranking(fresh(people[who]), round_), who
        assert not can_view_unit_result(fresh(people[who]), round_, units["城关镇"]), who
    for who in ("admin", "collector", "m1"):
        assert can_view_ranking(fresh(people[who]), round_), who


def test_a_town_reads_its_own_ledger_rows_once_published_never_another_towns(people, units, round_, town):
    rule = Rule.objects.get(scheme=town, code="8.1.a")
    own = LedgerEntry.objects.create(scheme=town, unit=units["城关镇"], rule=rule, date="2026-03-05", note="迟报")
    other = LedgerEntry.objects.create(scheme=town, unit=units["东山镇"], rule=rule, date="2026-03-05", note="迟报")
    assert not can_view_ledger_row(fresh(people["town"]), own)  # not before publication
    round_.published_at = timezone.now()
    round_.save(update_fields=["published_at"])
    town_user = fresh(people["town"])
    assert can_view_unit_ledger(town_user, town) == {units["城关镇"].pk}
    assert can_view_ledger_row(town_user, own)
    assert not can_view_ledger_row(town_user, other)


def test_the_ledger_page_lists_a_towns_own_rows_only(client, people, units, round_, town):
    rule = Rule.objects.get(scheme=town, code="8.1.a")
    LedgerEntry.objects.create(scheme=town, unit=units["城关镇"], rule=rule, date="2026-03-05", note="城关迟报")
    LedgerEntry.objects.create(scheme=town, unit=units["东山镇"], rule=rule, date="2026-03-06", note="东山迟报")
    client.force_login(people["town"])
    assert client.get("/ledger/?scheme=town-2026").status_code == 403  # nothing published yet
    round_.published_at = timezone.now()
    round_.save(update_fields=["published_at"])
    for query in ("", "&unit=东山镇"):
        page = client.get(f"/ledger/?scheme=town-2026{query}").content.decode()
        assert "东山迟报" not in page
    assert "城关迟报" in client.get("/ledger/?scheme=town-2026").content.decode()
    assert b"/reverse/" not in client.get("/ledger/?scheme=town-2026").content  # read-only
