"""The Desk's behaviour: live preview, inline errors that keep the input, conflicts, evidence, lockout."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.models import Evidence, LedgerEntry, ScoreSheet

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def grid_data(sheet, rule, amount, note, version=None):
    return {f"version-{sheet.pk}": sheet.version if version is None else version,
            f"amount-{sheet.pk}-{rule.pk}": amount, f"note-{sheet.pk}-{rule.pk}": note}


@pytest.fixture
def safety(round_, people, client):
    client.force_login(people["staff2"])
    sheet = ScoreSheet.objects.get(round=round_, section__code="anquan", unit__name="城关镇")
    rule = round_.scheme.rules.get(code="7.a")
    return sheet, rule, reverse("kaohe:grid", args=[round_.pk, "anquan"])


def test_grid_shows_units_items_and_scores(client, safety):
    _sheet, _rule, url = safety
    page = client.get(url).content.decode()
    assert "城关镇" in page and "东山镇" in page and 'id="save"' in page


def test_grid_offers_submit_save_and_sign_only_while_a_sheet_waits_for_them(client, safety, people):
    _sheet, _rule, url = safety
    sheets = ScoreSheet.objects.filter(round=_sheet.round, section__code="anquan")
    page = client.get(url).content.decode()
    assert 'id="submit-all"' in page and 'id="save"' in page
    sheets.update(state="submitted")  # nothing left to enter: no staff button, the head may sign
    page = client.get(url).content.decode()
    assert 'id="submit-all"' not in page and 'id="save"' not in page
    client.force_login(people["head2"])
    assert 'id="sign-all"' in client.get(url).content.decode()
    sheets.update(state="signed")
    assert 'id="sign-all"' not in client.get(url).content.decode()


def test_preview_scores_without_saving(client, safety):
    sheet, rule, url = safety
    response = client.post(url + "preview/", grid_data(sheet, rule, "-2.5", "x"))
    data = response.json()
    assert data["units"][str(sheet.pk)]["items"]["7"] == "5.5"
    assert data["units"][str(sheet.pk)]["total"] == "5.5"
    assert not LedgerEntry.objects.exists()
    bad = client.post(url + "preview/", grid_data(sheet, rule, "-9", "x"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert bad["errors"] == {f"{sheet.pk}-{rule.pk}": "outside -8 … 0"}
    assert bad["units"][str(sheet.pk)]["items"]["7"] == "8"  # the refused amount is not applied


def test_save_then_inline_error_keeps_the_input(client, safety):
    sheet, rule, url = safety
    assert client.post(url, grid_data(sheet, rule, "-3", "台帐缺")).status_code == 302
    assert LedgerEntry.objects.get().points == -3
    sheet.refresh_from_db()
    page = client.post(url, grid_data(sheet, rule, "-3.5", "")).content.decode()
    assert "cell-error" in page and 'value="-3.5"' in page
    assert LedgerEntry.objects.count() == 1


def test_a_second_save_on_a_stale_page_gets_a_conflict_and_loses_nothing(client, safety):
    sheet, rule, url = safety
    stale = sheet.version
    client.post(url, grid_data(sheet, rule, "-3", "第一次", version=stale))
    page = client.post(url, grid_data(sheet, rule, "-5", "第二次", version=stale),
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "城关镇 was saved by someone else meanwhile" in page
    assert 'value="-5"' in page and 'value="第二次"' in page
    assert sum(e.points for e in LedgerEntry.objects.all()) == -3


def test_entry_form_checks_evidence_and_names_errors(client, round_, people):
    client.force_login(people["staff"])
    url = reverse("kaohe:ledger_new") + f"?scheme={round_.scheme.code}"
    base = {"scheme": round_.scheme.code, "unit": "城关镇", "rule": "8.1.a", "quantity": "1", "date": "2026-03-01",
            "note": "迟报"}
    fake = SimpleUploadedFile("报表.pdf", b"MZ not a pdf")
    page = client.post(url, {**base, "evidence": fake}).content.decode()
    assert "文件内容不是 pdf 文件" in page  # the default language, like every message on the page
    assert not LedgerEntry.objects.exists()
    page = client.post(url, {**base, "quantity": "-1"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cannot be negative" in page
    assert not LedgerEntry.objects.exists()
    good = SimpleUploadedFile("报表.pdf", b"%PDF-1.4 ok")
    assert client.post(url, {**base, "evidence": good}).status_code == 302
    assert Evidence.objects.get().kind == "pdf"


def test_lockout_after_repeated_failures(client, people):
    url = reverse("kaohe:login")
    for _ in range(5):
        client.post(url, {"username": "staff", "password": "wrong"})
    response = client.post(url, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_login_lands_in_the_inbox(client, people):
    response = client.post(reverse("kaohe:login"), {"username": "staff", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("kaohe:home")


def test_the_scheme_can_be_copied_to_next_year(client, round_, people):
    client.force_login(people["admin"])
    response = client.post(reverse("kaohe:scheme_copy", args=[round_.scheme.code]), {"year": "2027"})
    assert response.status_code == 302
    from kaohe.models import Scheme

    copy = Scheme.objects.get(code="town-2027")
    assert copy.rules.count() == round_.scheme.rules.count()
    assert copy.indicators.get(code="8.1").section.code == "caitong"
    assert copy.rules.get(code="10.2.b").bands == round_.scheme.rules.get(code="10.2.b").bands


def test_the_cached_result_follows_every_change(round_, people):
    from decimal import Decimal

    from kaohe.actions.ledger import do_record_entry
    from kaohe.models import Rule
    from kaohe.services.ranking import fingerprint, scored_round

    from .conftest import fresh

    before = fingerprint(round_)
    assert scored_round(round_).unit("城关镇").items["8.1"].score == Decimal(6)
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-02-01"},
                    acting_user=fresh(people["staff"]))
    assert fingerprint(round_) != before
    assert scored_round(round_).unit("城关镇").items["8.1"].score == Decimal(5)
    rule = Rule.objects.get(scheme=round_.scheme, code="8.1.a")
    rule.amount = Decimal("-1")
    rule.save()
    assert scored_round(round_).unit("城关镇").items["8.1"].score == Decimal(4)


def test_staff_reverses_a_row_from_the_ledger_page_and_another_section_cannot(client, round_, people):
    from kaohe.actions.ledger import do_record_entry

    from .conftest import fresh

    entry = do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "date": "2026-02-01"},
                            acting_user=fresh(people["staff"]))
    url = reverse("kaohe:ledger_reverse", args=[entry.pk])
    client.force_login(people["staff2"])
    assert client.post(url, {"reason": "误录"}).status_code == 403
    client.force_login(people["staff"])
    assert client.post(url, {"reason": "误录"}).status_code == 302
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert (reversal.quantity, reversal.note, reversal.created_by) == (-1, "误录", people["staff"])
