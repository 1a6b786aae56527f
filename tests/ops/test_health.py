"""/healthz and /readyz: JSON, no login, no data; readiness follows what the site depends on."""

import pytest
from django.test import override_settings


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_readyz_checks_the_database_only_without_redis(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database"}
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:6379/15")
def test_readyz_checks_redis_and_the_queue_when_configured(client):
    body = client.get("/readyz").json()
    assert set(body["checks"]) == {"database", "redis", "queue"}
    assert all(check["ok"] for check in body["checks"].values()), body


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_says_not_ready_when_redis_does_not_answer(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_readyz_holds_no_data(client, django_user_model):
    django_user_model.objects.create_user("someone", password="a-long-password-1")
    text = client.get("/readyz").content.decode()
    assert "someone" not in text
    assert client.post("/readyz").status_code == 405
