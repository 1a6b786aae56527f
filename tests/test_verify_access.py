"""The QR code on a town's printed scorecard points at the round's signature: the town may check that it
still holds (the verdict), but reads no other town's score from it; the signed content stays with those
who may see the ranking."""

import pytest
from django.contrib.auth import get_user_model

from kaohe.models import Membership, Signature, Unit, UnitGroup

from .test_signed_is_locked import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_signature(round_, people):
    publish(round_, people)
    return Signature.objects.filter(round=round_).latest("id")


def test_a_town_of_the_round_sees_the_verdict_not_the_other_scores(client, round_signature, people):
    client.force_login(people["town"])
    response = client.get(f"/signatures/{round_signature.pk}/verify/")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="verdict"' in page
    assert "东山镇" not in page and "?format=content" not in page
    assert client.get(f"/signatures/{round_signature.pk}/verify/?format=content").status_code == 403


def test_the_collector_reads_what_was_signed(client, round_signature, people):
    client.force_login(people["collector"])
    page = client.get(f"/signatures/{round_signature.pk}/verify/").content.decode()
    assert "东山镇" in page and "?format=content" in page
    content = client.get(f"/signatures/{round_signature.pk}/verify/?format=content").json()
    assert {u["unit"] for u in content["units"]} >= {"城关镇", "东山镇"}


def test_a_unit_outside_the_round_may_not_check_it(client, round_signature):
    group = UnitGroup.objects.create(code="people", name="职工")
    outsider = get_user_model().objects.create_user("zhang", password="a-Long-pass-4821")
    Membership.objects.create(user=outsider, role="unit", unit=Unit.objects.create(name="张三", group=group))
    client.force_login(outsider)
    assert client.get(f"/signatures/{round_signature.pk}/verify/").status_code == 403
