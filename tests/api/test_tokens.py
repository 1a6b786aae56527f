"""API tokens: made and revoked in the Desk by their owner or an administrator, audited, and the only way a
script authenticates besides a session; requests with a token are rate limited, a browser session is not."""

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kaohe.models import AuditEvent

pytestmark = pytest.mark.django_db


def desk(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def with_token(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def made_key(response) -> str:
    return re.search(r'id="token-key">([0-9a-f]{40})<', response.content.decode()).group(1)


def test_a_user_makes_uses_replaces_and_revokes_their_token(people, round_):
    page = desk(people["staff"]).post("/tokens/new/")
    assert page.status_code == 200
    key = made_key(page)
    assert Token.objects.get(user=people["staff"]).key == key
    assert with_token(key).get("/api/v1/sheets/").status_code == 200
    # the key is shown once: the list page afterwards shows only its first characters
    assert key not in desk(people["staff"]).get("/tokens/").content.decode()

    newer = made_key(desk(people["staff"]).post("/tokens/new/"))
    assert newer != key
    assert with_token(key).get("/api/v1/sheets/").status_code == 401
    assert desk(people["staff"]).post(f"/tokens/{people['staff'].pk}/revoke/").status_code == 302
    stale = with_token(newer).get("/api/v1/sheets/")
    assert stale.status_code == 401 and stale.json()["errors"][0]["code"] == "authentication_failed"
    assert list(AuditEvent.objects.filter(user=people["staff"], action__startswith="token.")
                .order_by("pk").values_list("action", "target")) == [
        ("token.create", "staff"), ("token.create", "staff"), ("token.revoke", "staff")]
    assert not AuditEvent.objects.filter(after__icontains=key).exists()


def test_an_administrator_makes_and_revokes_anyones_token(people, round_):
    key = made_key(desk(people["admin"]).post("/tokens/new/", {"user": "town"}))
    assert Token.objects.get(key=key).user == people["town"]
    listing = desk(people["admin"]).get("/tokens/").content.decode()
    assert 'id="tokens"' in listing and "town" in listing
    assert desk(people["admin"]).post(f"/tokens/{people['town'].pk}/revoke/").status_code == 302
    assert not Token.objects.filter(user=people["town"]).exists()


def test_nobody_else_touches_a_token(people, round_):
    Token.objects.create(user=people["head"])
    assert desk(people["staff"]).post("/tokens/new/", {"user": "head"}).status_code == 403
    assert desk(people["staff"]).post("/tokens/new/", {"user": "no-such-login"}).status_code == 403
    assert desk(people["staff"]).post(f"/tokens/{people['head'].pk}/revoke/").status_code == 403
    assert Token.objects.filter(user=people["head"]).count() == 1
    assert 'id="tokens"' not in desk(people["staff"]).get("/tokens/").content.decode()


def test_without_credentials_the_api_answers_401_in_the_one_shape(db):
    answer = APIClient().get("/api/v1/units/")
    assert answer.status_code == 401 and answer["WWW-Authenticate"].startswith("Token")
    assert answer.json()["errors"][0]["code"] == "not_authenticated"


def test_token_requests_are_rate_limited_and_sessions_are_not(people, round_, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    key = Token.objects.create(user=people["staff"]).key
    answers = [with_token(key).get("/api/v1/sections/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = with_token(key).get("/api/v1/sections/")
    assert limited.json()["errors"][0]["code"] == "throttled" and int(limited["Retry-After"]) >= 1
    session = desk(people["staff"])
    assert [session.get("/api/v1/sections/").status_code for _ in range(5)] == [200] * 5
