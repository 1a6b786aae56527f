"""Signatures cover exactly what was signed; verification notices any change to it."""

from datetime import date

import pytest
from django.db import connection

from kaohe.actions.transitions import do_transition
from kaohe.models import LedgerEntry, Signature
from kaohe.services.signatures import sheet_content, verify
from kaohe.workflow.signing import canonical_json, digest

from .conftest import fresh
from .test_route import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(round_, people):
    from kaohe.actions.ledger import do_record_entry

    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-03-01",
                                          "note": "迟报两次"}, acting_user=fresh(people["staff"]))
    s = sheet(round_, "caitong", "城关镇")
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    do_transition(s, "sign", acting_user=fresh(people["head"]))
    return Signature.objects.get(sheet=s)


def test_the_signed_content_is_the_items_and_rows(signed):
    content = signed.content
    assert content["unit"] == "城关镇" and content["section"] == "caitong"
    assert set(content["items"]) == {"8.1", "8.4", "8.5"}
    assert content["items"]["8.1"]["score"] == "5"
    assert content["items"]["8.1"]["lines"][0]["rows"][0]["note"] == "迟报两次"
    assert signed.digest == digest(content)


def test_canonical_json_is_stable_and_exact():
    from decimal import Decimal

    a = canonical_json({"b": Decimal("1.50"), "a": [Decimal("2"), "镇"]})
    b = canonical_json({"a": [Decimal("2.0"), "镇"], "b": Decimal("1.5")})
    assert a == b == '{"a":["2","镇"],"b":"1.5"}'.encode()


def test_untouched_signature_verifies(signed):
    assert verify(signed)["valid"] is True


def test_a_row_changed_behind_the_applications_back_is_detected(signed):
    entry = LedgerEntry.objects.get(rule__code="8.1.a")
    with connection.cursor() as cursor:  # what someone with database access might do
        cursor.execute(f"UPDATE {LedgerEntry._meta.db_table} SET note = %s WHERE id = %s", ["改过", entry.pk])
    outcome = verify(signed)
    assert outcome["valid"] is False and outcome["stored_content_intact"] is True
    assert outcome["matches_current"] is False


def test_a_stored_signature_edited_is_detected(signed):
    Signature.objects.filter(pk=signed.pk).update(content={**signed.content, "total": "100"})
    signed.refresh_from_db()
    assert verify(signed)["stored_content_intact"] is False
    assert verify(signed)["valid"] is False


def test_a_new_row_for_a_signed_sheet_is_refused_and_the_signature_stays_valid(signed, people):
    from kaohe.actions.ledger import do_record_entry
    from kaohe.refusals import Refused as RouteRefused

    with pytest.raises(RouteRefused):
        do_record_entry(signed.sheet.round.scheme, cells={"unit": "城关镇", "rule": "8.5.a", "date": "2026-05-01"},
                        acting_user=fresh(people["staff"]))
    assert verify(signed)["valid"] is True


def test_signatures_are_never_changed(signed):
    signed.digest = "0" * 64
    with pytest.raises(ValueError):
        signed.save()


def test_verify_page_shows_the_verdict(client, signed, people):
    client.force_login(people["collector"])
    page = client.get(f"/signatures/{signed.pk}/verify/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<dd id="verdict"><span class="ok">valid</span>' in page
    data = client.get(f"/signatures/{signed.pk}/verify/?format=json").json()
    assert data["valid"] is True and data["digest"] == signed.digest
    content = client.get(f"/signatures/{signed.pk}/verify/?format=content").json()
    assert content == signed.content  # exactly what was signed, to re-check by hand
    for code in signed.content["items"]:
        assert f'<td class="l">{code}</td>' in page


def test_round_signature_covers_ranking_and_resolution(round_, people):
    from kaohe.actions.rounds import do_collect_round, do_decide_round

    from .test_route import sign_all

    sign_all(round_, people)
    do_collect_round(round_, acting_user=fresh(people["collector"]))
    do_decide_round(round_, resolution="同意", meeting_date=date(2027, 1, 5), acting_user=fresh(people["m1"]))
    signature = Signature.objects.get(round=round_, role="meeting")
    assert signature.content["resolution"] == "同意"
    assert {u["unit"] for u in signature.content["units"]} == {"城关镇", "东山镇", "西河镇", "南湖镇", "开发区",
                                                               "县机械厂"}
    assert verify(signature)["valid"] is True
    assert sheet_content(sheet(round_, "anquan", "城关镇"))["items"]["7"]["score"] == 8
