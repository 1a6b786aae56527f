"""/healthz and /readyz: JSON, no login, no data; readiness follows what the site depends on."""

import json

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


def _failing(exc):
    def view(request):
        raise exc

    return view


@pytest.mark.parametrize("path", ["/rounds/", "/api/v1/units/"])
def test_a_database_that_does_not_answer_is_a_503_to_retry_not_a_traceback(rf, path):
    from django.db import OperationalError

    from kaohe.desk.failures import server_error

    request = rf.get(path)
    try:
        _failing(OperationalError("(2006, 'Server has gone away')"))(request)
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Server has gone away" not in text and "Traceback" not in text
    if path.startswith("/api/"):
        assert json.loads(text)["errors"][0]["code"] == "database_unavailable"
    else:
        assert "数据库暂时无法访问" in text


def test_any_other_failure_is_the_plain_500_page(rf):
    from kaohe.desk.failures import server_error

    request = rf.get("/rounds/")
    try:
        _failing(KeyError("secret detail"))(request)
    except KeyError:
        response = server_error(request)
    assert response.status_code == 500 and "secret detail" not in response.content.decode()
