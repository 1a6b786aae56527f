"""Role × page and role × action: what each role may open or do, and that the rest gets 403.

Before publication a town sees nothing of the round; after it, only its own result and evidence.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.actions.ledger import do_record_entry
from kaohe.models import Evidence, ScoreSheet

from .test_route import publish

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["admin", "staff", "staff2", "head", "collector", "m1", "town", "town2", "observer"]


@pytest.fixture
def world(round_, people, units):
    from .conftest import fresh

    entry = do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "1",
                                                  "date": "2026-03-01", "note": "迟报"},
                            files=[SimpleUploadedFile("报表.pdf", PDF)], acting_user=fresh(people["staff"]))
    sheet = ScoreSheet.objects.get(round=round_, section__code="caitong", unit__name="城关镇")
    return {"round": round_, "sheet": sheet, "evidence": Evidence.objects.get(entry=entry),
            "unit": units["城关镇"], "people": people}


def status(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


def pages(w):
    r, s, u = w["round"], w["sheet"], w["unit"]
    return {
        "inbox": reverse("kaohe:home"),
        "rounds": reverse("kaohe:rounds"),
        "board": reverse("kaohe:round", args=[r.pk]),
        "ranking": reverse("kaohe:ranking", args=[r.pk]),
        "grid": reverse("kaohe:grid", args=[r.pk, "caitong"]),
        "sheet": reverse("kaohe:sheet", args=[s.pk]),
        "result": reverse("kaohe:unit_result", args=[r.pk, u.pk]),
        "ledger": reverse("kaohe:ledger") + f"?scheme={r.scheme.code}",
        "ledger_new": reverse("kaohe:ledger_new") + f"?scheme={r.scheme.code}",
        "evidence": reverse("kaohe:evidence", args=[w["evidence"].pk]),
        "editor": reverse("kaohe:scheme_editor", args=[r.scheme.code]),
    }


# page → roles that get 200 before publication (everyone else: 403)
BEFORE = {
    "inbox": set(ROLES),
    "rounds": set(ROLES) - {"town", "town2"},
    "board": set(ROLES) - {"town", "town2"},
    "ranking": {"admin", "collector", "m1"},
    "grid": {"admin", "staff", "head", "collector", "m1"},
    "sheet": {"admin", "staff", "head", "collector", "m1"},
    "result": {"admin", "collector", "m1"},
    "ledger": set(ROLES) - {"town", "town2"},
    "ledger_new": {"admin", "staff", "staff2"},
    "evidence": {"admin", "staff", "head", "collector", "m1"},
    "editor": set(ROLES) - {"town", "town2"},
}
# what publication opens up
AFTER = {**BEFORE,
         "ranking": {"admin", "collector", "m1", "staff", "staff2", "head", "observer"},
         # the observer sees the published ranking only (permissions.AFTER_PUBLICATION)
         "result": {"admin", "collector", "m1", "staff", "staff2", "head", "town"},
         # each town reads its own rows (the page lists no other town's)
         "ledger": BEFORE["ledger"] | {"town", "town2"},
         "evidence": BEFORE["evidence"] | {"town"}}


@pytest.mark.parametrize("page", sorted(BEFORE))
def test_pages_before_publication(client, world, page):
    url = pages(world)[page]
    got = {role: status(client, world["people"][role], url) for role in ROLES}
    assert {role for role, code in got.items() if code == 200} == BEFORE[page], got
    assert {code for role, code in got.items() if role not in BEFORE[page]} <= {403}, got


@pytest.mark.parametrize("page", sorted(AFTER))
def test_pages_after_publication(client, world, page):
    publish(world["round"], world["people"])
    url = pages(world)[page]
    got = {role: status(client, world["people"][role], url) for role in ROLES}
    assert {role for role, code in got.items() if code == 200} == AFTER[page], got
    assert {code for role, code in got.items() if role not in AFTER[page]} <= {403}, got


def test_anonymous_is_sent_to_login(client, world):
    for url in pages(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_town_cannot_read_another_towns_result_or_evidence_after_publication(client, world, units):
    publish(world["round"], world["people"])
    other = reverse("kaohe:unit_result", args=[world["round"].pk, units["东山镇"].pk])
    assert status(client, world["people"]["town"], other) == 403
    assert status(client, world["people"]["town2"], pages(world)["evidence"]) == 403
    assert status(client, world["people"]["town2"], pages(world)["result"]) == 403


def test_staff_cannot_save_amounts_in_another_sections_grid(client, world):
    r, people = world["round"], world["people"]
    sheet = ScoreSheet.objects.get(round=r, section__code="anquan", unit__name="城关镇")
    rule = r.scheme.rules.get(code="7.a")
    url = reverse("kaohe:grid", args=[r.pk, "anquan"])
    data = {f"version-{sheet.pk}": sheet.version, f"amount-{sheet.pk}-{rule.pk}": "-3",
            f"note-{sheet.pk}-{rule.pk}": "x"}
    assert status(client, people["staff"], url, "post", data) == 403
    assert status(client, people["staff2"], url, "post", data) == 302
    sheet.refresh_from_db()
    assert sheet.version == 2


def test_staff_cannot_record_a_row_for_another_sections_rule(client, world):
    url = reverse("kaohe:ledger_new") + f"?scheme={world['round'].scheme.code}"
    data = {"scheme": world["round"].scheme.code, "unit": "城关镇", "rule": "7.a", "points": "-1",
            "date": "2026-04-01", "note": "x"}
    assert status(client, world["people"]["staff"], url, "post", data) == 403


@pytest.mark.parametrize("role, action, expected", [
    ("staff2", "submit", 403), ("head", "submit", 403), ("town", "submit", 403), ("m1", "submit", 403),
    ("staff", "submit", 302),
])
def test_sheet_actions_by_role(client, world, role, action, expected):
    url = reverse("kaohe:sheet_action", args=[world["sheet"].pk])
    assert status(client, world["people"][role], url, "post", {"action": action}) == expected
    world["sheet"].refresh_from_db()
    assert world["sheet"].state == ("submitted" if expected == 302 else "draft")


def test_round_steps_by_role(client, world):
    url = reverse("kaohe:round_action", args=[world["round"].pk, "collect"])
    assert status(client, world["people"]["town"], url, "post") == 403
    assert status(client, world["people"]["m1"], url, "post") == 403
    assert status(client, world["people"]["collector"], url, "post") == 302  # refused: not all signed
    world["round"].refresh_from_db()
    assert world["round"].state == "open"


def test_another_town_cannot_object(client, world):
    publish(world["round"], world["people"])
    url = reverse("kaohe:file_objection", args=[world["sheet"].pk])
    assert status(client, world["people"]["town2"], url, "post", {"reason": "x"}) == 403
    world["sheet"].refresh_from_db()
    assert world["sheet"].state == "signed"


def test_nobody_edits_a_signed_sheet_through_the_grid(client, world):
    publish(world["round"], world["people"])
    r, sheet = world["round"], world["sheet"]
    rule = r.scheme.rules.get(code="8.4.a")
    url = reverse("kaohe:grid", args=[r.pk, "caitong"])
    data = {f"version-{sheet.pk}": sheet.version, f"amount-{sheet.pk}-{rule.pk}": "-3",
            f"note-{sheet.pk}-{rule.pk}": "x"}
    for role in ("staff", "head", "admin"):
        status(client, world["people"][role], url, "post", data)
    assert not r.scheme.entries.filter(rule=rule).exists()


def test_scheme_editor_saves_only_for_administrators(client, world):
    scheme = world["round"].scheme
    item = scheme.indicators.get(code="8.1")
    url = reverse("kaohe:scheme_editor", args=[scheme.code])
    data = {"edit": f"indicator:{item.pk}", f"i{item.pk}-name": item.name, f"i{item.pk}-base": "7",
            f"i{item.pk}-floor": "0", f"i{item.pk}-cap": "", f"i{item.pk}-section": item.section_id}
    assert status(client, world["people"]["staff"], url, "post", data) == 403
    item.refresh_from_db()
    assert item.base == 6
    assert status(client, world["people"]["admin"], url, "post", data) == 302
    item.refresh_from_db()
    assert item.base == 7
    assert item.history.first().history_user == world["people"]["admin"]


def test_verify_is_not_open_to_towns(client, world):
    from kaohe.models import Signature

    publish(world["round"], world["people"])
    signature = Signature.objects.filter(sheet=world["sheet"]).first()
    url = reverse("kaohe:verify", args=[signature.pk])
    assert status(client, world["people"]["town"], url) == 403
    assert status(client, world["people"]["collector"], url) == 200


def test_the_objection_window_runs_from_publication(world):
    """No window before publication; afterwards it ends ``objection_days`` after the day of publication."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    round_ = world["round"]
    assert round_.objection_deadline() is None
    round_.published_at = datetime(2027, 1, 10, 23, 30, tzinfo=ZoneInfo("UTC"))  # 07:30 on 11 Jan in Shanghai
    round_.objection_days = 7
    assert round_.objection_deadline() == date(2027, 1, 18)
    assert round_.objection_deadline() - timedelta(days=7) == date(2027, 1, 11)
