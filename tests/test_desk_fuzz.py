"""Hostile values typed into the Desk's forms: never a server error, never a partial write, and a refusal says
which field is wrong."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.models import LedgerEntry

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.sampled_from(["", "NaN", "sNaN", "-Infinity", "1e309", "1e30", "99999999999", "1,5", "1,234", "－2",
                     "２", "0x10", "=1+1", "@SUM(A1)", "\x00", "\u200b1", "1" * 500, "2026-03-05abc", "2026/3/5",
                     "2026年3月5日", "城关镇", "8.1.a", "7.a", "-3", "0.00001"]),
    st.text(max_size=40),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit=HOSTILE, rule=HOSTILE, quantity=HOSTILE, points=HOSTILE, day=HOSTILE, note=HOSTILE)
def test_the_ledger_form_never_fails_and_never_half_writes(client, round_, people, unit, rule, quantity, points, day,
                                                          note):
    client.force_login(people["staff2"])
    before = LedgerEntry.objects.count()
    data = {"scheme": "town-2026", "unit": unit, "rule": rule, "quantity": quantity, "points": points, "date": day,
            "note": note}
    response = client.post(reverse("kaohe:ledger_new") + "?scheme=town-2026", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in {200, 302, 403}
    after = LedgerEntry.objects.count()
    if response.status_code == 302:
        assert after == before + 1
    else:
        assert after == before
    if response.status_code == 200:  # the form came back naming the wrong field, or the refusal as a message
        page = response.content.decode()
        assert "Nothing was recorded:" in page or 'class="msg error"' in page


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=HOSTILE, note=HOSTILE, version=st.one_of(st.none(), HOSTILE, st.just("1")))
def test_the_grid_never_fails_and_never_half_writes(client, round_, people, amount, note, version):
    from kaohe.models import ScoreSheet

    client.force_login(people["staff2"])
    sheet = ScoreSheet.objects.get(round=round_, section__code="anquan", unit__name="城关镇")
    rule = round_.scheme.rules.get(code="7.a")
    url = reverse("kaohe:grid", args=[round_.pk, "anquan"])
    data = {f"amount-{sheet.pk}-{rule.pk}": amount, f"note-{sheet.pk}-{rule.pk}": note}
    if version is not None:
        data[f"version-{sheet.pk}"] = version
    before = LedgerEntry.objects.count()
    preview = client.post(url + "preview/", data)
    assert preview.status_code == 200 and set(preview.json()) >= {"errors", "units"}
    saved = client.post(url, data)
    assert saved.status_code in {200, 302}
    if saved.status_code == 200:  # refused: the page came back, nothing written
        assert LedgerEntry.objects.count() == before
