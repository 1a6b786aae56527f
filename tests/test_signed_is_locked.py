"""Signed is locked: attacks on signed content through the real interfaces (Desk, admin, commands), each refused
with nothing written, scores and signatures unchanged; a published result moves only through re-approval."""

import copy
import io
import re
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from kaohe.actions.ledger import do_record_entry
from kaohe.actions.objections import do_file_objection
from kaohe.actions.rounds import do_collect_round, do_decide_round, do_publish_round, do_recollect_round
from kaohe.actions.transitions import do_transition
from kaohe.models import (
    AuditEvent,
    Delegation,
    EconomicFigure,
    ImportBatch,
    LedgerEntry,
    Membership,
    Objection,
    PublishedResult,
    Rule,
    ScoreSheet,
    Signature,
    Unit,
)
from kaohe.numbers import plain
from kaohe.permissions import roles
from kaohe.refusals import Refused
from kaohe.services.published import latest_version, version_result
from kaohe.services.signatures import broken_signatures, verify

from .conftest import fresh

pytestmark = pytest.mark.django_db

SCHEME = "town-2026"


# ------------------------------------------------------------------ helpers (as in test_route)

def sheet(round_, section, unit):
    return ScoreSheet.objects.get(round=round_, section__code=section, unit__name=unit)


def walk(s, people):
    """Submit (by the section's staff) and sign (by its head) one sheet; returns its signature."""
    staff = people["staff2"] if s.section.code == "anquan" else people["staff"]
    head = people["head2"] if s.section.code == "anquan" else people["head"]
    do_transition(s, "submit", acting_user=fresh(staff))
    do_transition(s, "sign", acting_user=fresh(head))
    return Signature.objects.filter(sheet=s).latest("signed_at", "id")


def sign_all(round_, people):
    for s in round_.sheets.select_related("section"):
        walk(s, people)


def publish(round_, people):
    sign_all(round_, people)
    do_collect_round(round_, acting_user=fresh(people["collector"]))
    for member in ("m1", "m2"):
        do_decide_round(round_, resolution="同意", meeting_date=date(2027, 1, 10), acting_user=fresh(people[member]))
    do_publish_round(round_, acting_user=fresh(people["collector"]))
    round_.refresh_from_db()


def said(response) -> str:
    """Every Desk message the request left, joined."""
    return " | ".join(str(m) for m in get_messages(response.wsgi_request))


def counts() -> dict:
    return {"ledger": LedgerEntry.objects.count(), "batches": ImportBatch.objects.count(),
            "figures": EconomicFigure.objects.count(), "signatures": Signature.objects.count(),
            "delegations": Delegation.objects.count(), "audit": AuditEvent.objects.count(),
            "rule_history": Rule.history.count()}


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_command(*args) -> str:
    """Run a command that must fail; returns its stderr and the error, for checking what they name."""
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return f"{err.getvalue()}\n{failed.value}"


def ranking_total(page: str, unit: str) -> str:
    found = re.search(rf'<td class="l">{unit}</td><td><strong>([^<]*)</strong>', page)
    assert found, f"{unit} is not in the ranking"
    return found.group(1)


def result_total(page: str) -> str:
    return re.search(r'<dd id="total"><strong>([^<]*)</strong>', page).group(1)


def unit_total(version, unit: str) -> D:
    return next(u.total for u in version_result(version).units if u.unit == unit)


# ------------------------------------------------------------------ 1. who signs

def test_a_town_is_never_delegated_to_and_never_signs(client, round_, people):
    """A town login gets no delegation from the Desk, and even a Delegation row in the DB gives it no head role."""
    s = sheet(round_, "caitong", "城关镇")
    today = timezone.localdate()
    data = {"section": s.section.pk, "delegate": people["town"].pk,
            "starts": (today - timedelta(days=1)).isoformat(), "ends": (today + timedelta(days=5)).isoformat()}
    client.force_login(people["head"])
    before = counts()
    response = client.post(reverse("kaohe:delegate"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert "belongs to an assessed unit and may never sign" in said(response)
    assert counts() == before and not Delegation.objects.exists()

    Delegation.objects.create(head=people["head"], delegate=people["town"], section=s.section,
                              starts=today - timedelta(days=1), ends=today + timedelta(days=5))
    assert roles(fresh(people["town"])).head_sections == frozenset()
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    s.refresh_from_db()
    version = s.version
    client.force_login(people["town"])
    response = client.post(reverse("kaohe:sheet_action", args=[s.pk]), {"action": "sign"})
    assert response.status_code == 403
    s.refresh_from_db()
    assert (s.state, s.version) == ("submitted", version)
    assert not Signature.objects.filter(sheet=s).exists()


@pytest.mark.parametrize("delegate, dates, why", [
    ("head", True, "Delegate to someone else"),
    ("head2", True, "holds no role in"),
    ("staff", False, "Give the first and the last day"),
])
def test_a_delegation_to_oneself_to_another_section_or_undated_is_refused(client, round_, people, delegate, dates,
                                                                         why):
    """The Desk refuses a delegation to oneself, to another section's head, or without dates, and writes nothing."""
    section = sheet(round_, "caitong", "城关镇").section
    data = {"section": section.pk, "delegate": people[delegate].pk, "starts": "", "ends": ""}
    if dates:
        data.update(starts="2026-12-01", ends="2026-12-31")
    client.force_login(people["head"])
    before = counts()
    response = client.post(reverse("kaohe:delegate"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert why in said(response)
    assert counts() == before and not Delegation.objects.exists()


def test_a_valid_delegate_signs_in_both_names(client, round_, people, django_user_model):
    """A head delegates to the section's staff on the Desk; the delegate signs and the signature names both."""
    s = sheet(round_, "caitong", "城关镇")
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.invalid", "a-Long-pass-4821")
    Membership.objects.create(user=clerk, role="staff", section=s.section)  # submits, so the delegate may sign
    today = timezone.localdate()
    client.force_login(people["head"])
    response = client.post(reverse("kaohe:delegate"), {
        "section": s.section.pk, "delegate": people["staff"].pk,
        "starts": (today - timedelta(days=1)).isoformat(), "ends": (today + timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.head, delegation.delegate, delegation.section) == (people["head"], people["staff"], s.section)
    do_transition(s, "submit", acting_user=fresh(clerk))
    client.force_login(people["staff"])
    assert client.post(reverse("kaohe:sheet_action", args=[s.pk]), {"action": "sign"}).status_code == 302
    s.refresh_from_db()
    assert s.state == "signed"
    signature = Signature.objects.get(sheet=s)
    assert (signature.user, signature.on_behalf_of, signature.role) == (people["staff"], people["head"], "head")
    assert verify(signature)["valid"]


# ------------------------------------------------------------------ 2, 3. imports behind a signed sheet

def test_import_ledger_refuses_a_row_behind_a_signed_sheet(round_, people, tmp_path):
    """import_ledger with a row of 城关镇 under 8.1.a, whose caitong sheet is signed, fails and writes nothing."""
    signature = walk(sheet(round_, "caitong", "城关镇"), people)
    path = tmp_path / "ledger.csv"
    path.write_text("unit,rule,quantity,points,date,note\n城关镇,8.1.a,1,,2026-03-01,迟报\n", encoding="utf-8")
    before = counts()
    text = refused_command("import_ledger", str(path), "--scheme", SCHEME)
    assert "城关镇" in text and "财务统计科" in text
    assert counts() == before
    assert verify(signature)["valid"]


def test_import_ledger_is_all_or_nothing_around_a_signed_sheet(round_, people, tmp_path):
    """A file mixing a row for an unsigned unit with one behind a signed sheet is refused as a whole."""
    signature = walk(sheet(round_, "caitong", "城关镇"), people)
    path = tmp_path / "mixed.csv"
    path.write_text("unit,rule,quantity,points,date,note\n"
                    "东山镇,8.1.a,1,,2026-03-01,迟报\n"
                    "城关镇,8.1.a,1,,2026-03-01,迟报\n", encoding="utf-8")
    before = counts()
    text = refused_command("import_ledger", str(path), "--scheme", SCHEME)
    assert "城关镇" in text
    assert counts() == before
    assert not LedgerEntry.objects.filter(unit__name="东山镇").exists()
    assert verify(signature)["valid"]
    # The refusal is the lock's: the unsigned unit's row alone goes in.
    alone = tmp_path / "alone.csv"
    alone.write_text("unit,rule,quantity,points,date,note\n东山镇,8.1.a,1,,2026-03-01,迟报\n", encoding="utf-8")
    run("import_ledger", str(alone), "--scheme", SCHEME)
    assert LedgerEntry.objects.filter(unit__name="东山镇").count() == 1
    assert verify(signature)["valid"]


def test_import_economy_refuses_a_figure_behind_a_signed_sheet(round_, people, tmp_path):
    """import_economy changing a figure of a unit whose economic item sheet is signed fails; the figure stays."""
    economic = Rule.objects.get(scheme=round_.scheme, kind="economic")
    section = economic.indicator.section
    first = tmp_path / "economy.csv"
    first.write_text("unit,indicator,target,actual\n城关镇,output,1000,1000\n", encoding="utf-8")
    run("import_economy", str(first), "--scheme", SCHEME, "--as-of", "2026-12")
    signature = walk(sheet(round_, section.code, "城关镇"), people)
    changed = tmp_path / "changed.csv"
    changed.write_text("unit,indicator,target,actual\n城关镇,output,1000,500\n", encoding="utf-8")
    before = counts()
    text = refused_command("import_economy", str(changed), "--scheme", SCHEME, "--as-of", "2026-12")
    assert "城关镇" in text and section.name in text
    assert counts() == before
    figure = EconomicFigure.objects.get(unit__name="城关镇", indicator__code="output", year=2026, month=12)
    assert (figure.target, figure.actual) == (D(1000), D(1000))
    assert verify(signature)["valid"]


# ------------------------------------------------------------------ 4, 5. the scheme and the admin

@pytest.fixture
def admin_user(people):
    admin = people["admin"]
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    return admin


def test_the_scheme_editor_and_the_admin_cannot_change_a_rule_of_a_signed_section(client, round_, people,
                                                                                 admin_user):
    """Changing the amount of 8.1.a (caitong, signed) is refused by the Desk scheme editor and the admin form."""
    signature = walk(sheet(round_, "caitong", "城关镇"), people)
    rule = Rule.objects.get(scheme=round_.scheme, code="8.1.a")
    amount = rule.amount
    client.force_login(admin_user)
    p = f"r{rule.pk}"
    before = counts()
    response = client.post(reverse("kaohe:scheme_editor", args=[SCHEME]), {
        "edit": f"rule:{rule.pk}", f"{p}-name": rule.name, f"{p}-kind": rule.kind, f"{p}-amount": "-3",
        f"{p}-min_points": "", f"{p}-max_points": "", f"{p}-bands": "[]"})
    assert response.status_code == 200
    assert "财务统计科·城关镇" in said(response)
    rule.refresh_from_db()
    assert rule.amount == amount
    assert counts() == before

    response = client.post(reverse("admin:kaohe_rule_change", args=[rule.pk]), {
        "scheme": rule.scheme_id, "indicator": rule.indicator_id, "code": rule.code, "name": rule.name,
        "kind": rule.kind, "amount": "-3", "min_points": "", "max_points": "", "bands": "[]", "order": rule.order,
        "_save": "Save"})
    assert response.status_code == 200  # the form comes back with the refusal
    assert "财务统计科·城关镇" in " ".join(response.context["adminform"].form.non_field_errors())
    rule.refresh_from_db()
    assert rule.amount == amount
    assert counts() == before
    assert verify(signature)["valid"]


def test_the_admin_cannot_add_a_ledger_row(client, round_, people, admin_user):
    """The admin's add page for ledger rows is 403 for GET and POST, and nothing is written."""
    rule = Rule.objects.get(scheme=round_.scheme, code="8.1.a")
    client.force_login(admin_user)
    url = reverse("admin:kaohe_ledgerentry_add")
    before = counts()
    assert client.get(url).status_code == 403
    response = client.post(url, {"scheme": round_.scheme_id, "unit": Unit.objects.get(name="城关镇").pk,
                                 "rule": rule.pk, "quantity": "5", "date": "2026-03-01", "note": "x",
                                 "_save": "Save"})
    assert response.status_code == 403
    assert counts() == before


# ------------------------------------------------------------------ 6. the Desk ledger

def test_the_desk_ledger_refuses_a_row_and_a_reversal_behind_a_signed_sheet(client, round_, people):
    """The ledger form and the reversal of a row behind a signed sheet are refused with a message; nothing changes."""
    url = reverse("kaohe:ledger_new") + f"?scheme={SCHEME}"
    row = {"scheme": SCHEME, "unit": "城关镇", "rule": "8.1.a", "quantity": "1", "date": "2026-02-01",
           "note": "迟报"}
    client.force_login(people["staff"])
    assert client.post(url, row).status_code == 302  # while the sheet is a draft
    entry = LedgerEntry.objects.get()
    signature = walk(sheet(round_, "caitong", "城关镇"), people)
    before = counts()

    response = client.post(url, {**row, "date": "2026-03-01", "note": "再扣"})
    assert response.status_code == 200
    assert "财务统计科·城关镇" in said(response)
    assert counts() == before

    response = client.post(reverse("kaohe:ledger_reverse", args=[entry.pk]), {"reason": "误录"})
    assert response.status_code == 302
    assert "财务统计科·城关镇" in said(response)
    assert not LedgerEntry.objects.filter(reverses=entry).exists()
    assert counts() == before
    assert verify(signature)["valid"]


# ------------------------------------------------------------------ 7. signatures that no longer verify

def test_collect_is_refused_while_a_signature_no_longer_verifies(client, round_, people):
    """A ledger row written behind the app's back breaks a signature; collect is refused and the board lists it."""
    sign_all(round_, people)
    s = sheet(round_, "caitong", "城关镇")
    signature = Signature.objects.get(sheet=s)
    rule = Rule.objects.get(scheme=round_.scheme, code="8.1.a")
    LedgerEntry.objects.create(scheme=round_.scheme, unit=s.unit, rule=rule, quantity=D(1), date=date(2026, 3, 1),
                               note="tampered")  # straight into the database, outside every interface
    assert not verify(signature)["valid"]
    with pytest.raises(Refused) as refused:
        do_collect_round(round_, acting_user=fresh(people["collector"]))
    assert refused.value.code == "signature_broken"
    round_.refresh_from_db()
    assert round_.state == "open"
    assert not round_.signatures.exists()
    client.force_login(people["collector"])
    page = client.get(reverse("kaohe:round", args=[round_.pk])).content.decode()
    board = page[page.index('id="broken-signatures"'):]
    assert "城关镇" in board and reverse("kaohe:verify", args=[signature.pk]) in board


def test_an_untouched_round_walks_to_publication_and_the_collector_signature_holds(client, round_, people):
    """Open → collected → decided → published, and the collector's signature verifies after the resolution."""
    sign_all(round_, people)
    assert do_collect_round(round_, acting_user=fresh(people["collector"])) == "collected"
    collected = Signature.objects.get(round=round_, role="collector")
    assert verify(collected)["valid"]
    client.force_login(people["collector"])
    assert 'id="broken-signatures"' not in client.get(reverse("kaohe:round", args=[round_.pk])).content.decode()
    assert do_decide_round(round_, resolution="同意考核结果", meeting_date=date(2027, 1, 10),
                           acting_user=fresh(people["m1"])) == "collected"
    assert do_decide_round(round_, resolution="同意考核结果", meeting_date=None,
                           acting_user=fresh(people["m2"])) == "decided"
    round_.refresh_from_db()
    assert round_.resolution == "同意考核结果"
    assert verify(collected)["valid"]
    assert do_publish_round(round_, acting_user=fresh(people["collector"])) == "published"
    round_.refresh_from_db()
    assert round_.state == "published" and latest_version(round_).number == 1
    assert verify(collected)["valid"]
    assert all(verify(sig)["valid"] for sig in Signature.objects.filter(round=round_, role="meeting"))
    assert broken_signatures(round_) == []


# ------------------------------------------------------------------ 8. units imported after publication

def test_a_unit_imported_after_publication_is_not_in_the_published_ranking(client, round_, people, tmp_path):
    """import_units adding 新增镇 to group town after publication leaves the published ranking as it was."""
    publish(round_, people)
    version = latest_version(round_)
    content = copy.deepcopy(version.content)
    path = tmp_path / "units.csv"
    path.write_text("name,group\n新增镇,town\n", encoding="utf-8")
    run("import_units", str(path))
    assert Unit.objects.filter(name="新增镇").exists()
    client.force_login(people["observer"])
    page = client.get(reverse("kaohe:ranking", args=[round_.pk])).content.decode()
    assert "城关镇" in page and "新增镇" not in page
    assert "新增镇" not in {u.unit for u in version_result(latest_version(round_)).units}
    version.refresh_from_db()
    assert version.content == content
    assert not round_.sheets.filter(unit__name="新增镇").exists()


# ------------------------------------------------------------------ 9. a published result moves by re-approval only

def test_a_published_ranking_moves_only_through_re_approval(client, round_, people):
    """An upheld objection's deduction shows only as version 2, after recollection and the meeting; v1 is kept."""
    publish(round_, people)
    with pytest.raises(Refused) as refused:
        do_recollect_round(round_, acting_user=fresh(people["collector"]))
    assert refused.value.code == "result_changed"
    round_.refresh_from_db()
    assert round_.state == "published"

    v1 = latest_version(round_)
    v1_content = copy.deepcopy(v1.content)
    total1 = unit_total(v1, "城关镇")
    town = Unit.objects.get(name="城关镇")
    ranking_url = reverse("kaohe:ranking", args=[round_.pk])
    result_url = reverse("kaohe:unit_result", args=[round_.pk, town.pk])

    def shown():
        client.force_login(people["observer"])
        ranking = ranking_total(client.get(ranking_url).content.decode(), "城关镇")
        client.force_login(people["town"])
        return ranking, result_total(client.get(result_url).content.decode())

    assert shown() == (plain(total1), plain(total1))

    s = sheet(round_, "caitong", "城关镇")
    do_file_objection(s, reason="8.1 扣分有误", acting_user=fresh(people["town"]))
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "1", "date": "2026-03-01",
                                          "note": "复核发现迟报"}, acting_user=fresh(people["staff"]))
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    do_transition(s, "sign", acting_user=fresh(people["head"]))
    assert shown() == (plain(total1), plain(total1))

    assert do_recollect_round(round_, comment="申诉复核", acting_user=fresh(people["collector"])) == "collected"
    assert shown() == (plain(total1), plain(total1))
    for member in ("m1", "m2"):
        do_decide_round(round_, resolution="同意调整", meeting_date=date(2027, 1, 20),
                        acting_user=fresh(people[member]))
    assert shown() == (plain(total1), plain(total1))
    assert do_publish_round(round_, acting_user=fresh(people["collector"])) == "published"

    v2 = latest_version(round_)
    assert v2.number == 2 and PublishedResult.objects.filter(round=round_).count() == 2
    total2 = unit_total(v2, "城关镇")
    assert total2 == total1 - D("0.5")
    assert shown() == (plain(total2), plain(total2))
    client.force_login(people["observer"])
    for number, total in ((1, total1), (2, total2)):
        page = client.get(ranking_url, {"version": number}).content.decode()
        assert ranking_total(page, "城关镇") == plain(total)
    v1.refresh_from_db()
    assert v1.content == v1_content and unit_total(v1, "城关镇") == total1


# ------------------------------------------------------------------ 10. objections: answer and evidence

def test_the_objection_answer_is_kept_and_its_evidence_is_served_only_to_those_concerned(client, round_, people,
                                                                                        settings, tmp_path):
    """The town's PDF is served to it, the section, the collector and the meeting, 403 to others; the answer stays."""
    settings.MEDIA_ROOT = tmp_path
    publish(round_, people)
    s = sheet(round_, "caitong", "城关镇")
    client.force_login(people["town"])
    response = client.post(reverse("kaohe:file_objection", args=[s.pk]), {
        "reason": "8.1 报表实际按时上报", "evidence": SimpleUploadedFile("证据.pdf", b"%PDF-1.4 x")})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.evidence
    url = reverse("kaohe:objection_evidence", args=[objection.pk])
    for name in ("town", "staff", "head", "collector", "m1"):
        client.force_login(people[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    for name in ("town2", "observer", "staff2", "head2"):
        client.force_login(people[name])
        assert client.get(url).status_code == 403, name

    client.force_login(people["head"])
    client.post(reverse("kaohe:answer_objection", args=[objection.pk]), {"answer": "经核实，维持原评分"})
    objection.refresh_from_db()
    assert (objection.answer, objection.answered_by) == ("经核实，维持原评分", people["head"])
    answered_at = objection.answered_at
    # The sheet walks again, is returned once more, and is signed: the answer stays as given.
    s.refresh_from_db()
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    do_transition(s, "return", acting_user=fresh(people["head"]), comment="再核一次")
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    do_transition(s, "sign", acting_user=fresh(people["head"]))
    response = client.post(reverse("kaohe:answer_objection", args=[objection.pk]), {"answer": "改判"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.answer, objection.answered_by, objection.answered_at) == (
        "经核实，维持原评分", people["head"], answered_at)
    client.force_login(people["town"])
    page = client.get(reverse("kaohe:unit_result", args=[round_.pk, s.unit_id])).content.decode()
    assert "经核实，维持原评分" in page
    with pytest.raises(Refused) as refused:  # nothing changed: no new version to approve
        do_recollect_round(round_, acting_user=fresh(people["collector"]))
    assert refused.value.code == "result_changed"
    client.force_login(people["observer"])
    assert client.get(url).status_code == 403
    client.force_login(people["m2"])
    assert client.get(url).status_code == 200


def test_the_admin_list_cannot_bulk_delete_a_rule_of_a_signed_section(client, round_, people):
    """The admin list's "delete selected" goes through the write layer: refused with a message, nothing deleted."""
    from kaohe.models import Rule

    people["admin"].is_superuser = True
    people["admin"].save()
    s = sheet(round_, "caitong", "城关镇")
    do_transition(s, "submit", acting_user=fresh(people["staff"]))
    do_transition(s, "sign", acting_user=fresh(people["head"]))
    rule = Rule.objects.get(scheme=round_.scheme, code="8.1.a")
    client.force_login(people["admin"])
    response = client.post(reverse("admin:kaohe_rule_changelist"),
                           {"action": "delete_selected", "_selected_action": [rule.pk], "post": "yes"}, follow=True)
    assert response.status_code == 200
    assert Rule.objects.filter(pk=rule.pk).exists()
    assert "财务统计科" in response.content.decode()


def test_a_row_changed_behind_the_applications_back_still_stops_collection(client, round_, people):
    """An UPDATE in the database changes no fingerprint: the page may remember, the step re-checks exactly."""
    from kaohe.models import LedgerEntry

    s = sheet(round_, "caitong", "城关镇")
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "1", "date": "2026-03-01",
                                          "note": "迟报"}, acting_user=fresh(people["staff"]))
    sign_all(round_, people)
    client.force_login(people["collector"])
    assert "broken-signatures" not in client.get(reverse("kaohe:round", args=[round_.pk])).content.decode()
    LedgerEntry.objects.filter(unit__name="城关镇", rule__code="8.1.a").update(quantity=3)  # tampering
    with pytest.raises(Refused) as refused:
        do_collect_round(round_, acting_user=fresh(people["collector"]))
    assert refused.value.code == "signature_broken"
    assert "城关镇" in str(refused.value)
    s.refresh_from_db()
    assert s.state == "signed"


def test_a_head_ends_a_delegation_and_nobody_else_can(client, round_, people):
    """The head who gave a delegation ends it from the inbox; the delegate loses the section that day."""
    from kaohe.models import Delegation

    section = sheet(round_, "caitong", "城关镇").section
    today = timezone.localdate()
    delegation = Delegation.objects.create(head=people["head"], delegate=people["staff"], section=section,
                                           starts=today - timedelta(days=3), ends=today + timedelta(days=30))
    url = reverse("kaohe:end_delegation", args=[delegation.pk])
    client.force_login(people["head2"])
    assert client.post(url).status_code == 403
    delegation.refresh_from_db()
    assert delegation.ends == today + timedelta(days=30)
    client.force_login(people["head"])
    assert f'id="end-delegation-{delegation.pk}"' in client.get(reverse("kaohe:home")).content.decode()
    client.post(url)
    delegation.refresh_from_db()
    assert delegation.ends == today
    assert section.pk not in roles(fresh(people["staff"]), today + timedelta(days=1)).head_sections
