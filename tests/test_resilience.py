"""The site keeps answering when Redis is down, and every page carries a strict Content-Security-Policy."""

import logging
import os
import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

import kaohe.cache
from kaohe.cache import FallbackRedisCache, reset_breakers

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "kaohe" / "templates"

# Port 1 on the loopback: nothing listens there, so every connection is refused at once.
CLOSED = "redis://127.0.0.1:1/0"
DOWN = {"default": {
    "BACKEND": "kaohe.cache.FallbackRedisCache",
    "LOCATION": CLOSED,
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "RETRY_AFTER": 15, "WARNING_INTERVAL": 60},
}}


@pytest.fixture
def redis_down():
    reset_breakers()
    with override_settings(CACHES=DOWN):
        yield caches["default"]
    reset_breakers()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    made = Clock()
    monkeypatch.setattr(kaohe.cache, "monotonic", made)
    return made


class CountingRedis:
    """Stands in for the Redis tier: fails while ``down`` is set and counts the calls that reach it."""

    def __init__(self):
        self.down = True
        self.calls = 0
        self.data = {}

    def get(self, key, default=None, version=None):
        self.calls += 1
        if self.down:
            raise RedisConnectionError("Connection refused.")
        return self.data.get(key, default)

    def set(self, key, value, timeout=None, version=None):
        self.calls += 1
        if self.down:
            raise RedisConnectionError("Connection refused.")
        self.data[key] = value

    def clear(self):
        self.data.clear()

    def close(self, **kwargs):
        pass


def warnings_from_the_cache(caplog):
    return [r for r in caplog.records if r.name == "kaohe.cache" and r.levelname == "WARNING"]


# --- Redis down: pages, logins, lockouts and the cache API ---------------------------------------


def test_sessions_and_lockouts_do_not_live_in_the_cache(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


@pytest.mark.django_db
def test_the_login_page_answers_when_redis_is_down(client, redis_down):
    assert isinstance(redis_down, FallbackRedisCache)
    assert client.get(reverse("kaohe:login")).status_code == 200


@pytest.mark.django_db
def test_login_inbox_and_ranking_answer_when_redis_is_down(client, people, round_, redis_down):
    response = client.post(reverse("kaohe:login"), {"username": "admin", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("kaohe:home")
    assert Session.objects.exists()  # the session is in the database
    assert client.get(reverse("kaohe:home")).status_code == 200
    ranking = reverse("kaohe:ranking", args=[round_.pk])
    first = client.get(ranking)
    assert first.status_code == 200
    assert "城关镇" in first.content.decode()
    assert client.get(ranking).status_code == 200  # served from the local tier this time
    assert redis_down.breaker.down


@pytest.mark.django_db
def test_the_grid_and_its_preview_answer_when_redis_is_down(client, people, round_, redis_down):
    client.force_login(people["staff2"])
    url = reverse("kaohe:grid", args=[round_.pk, "anquan"])
    assert client.get(url).status_code == 200
    assert client.post(url + "preview/", {}).status_code == 200


@pytest.mark.django_db
def test_lockout_still_works_when_redis_is_down(client, people, redis_down):
    url = reverse("kaohe:login")
    for _ in range(5):
        client.post(url, {"username": "staff", "password": "wrong"})
    response = client.post(url, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_cache_api_does_not_raise_when_redis_is_down(redis_down):
    cache.set("k", {"分数": "98.50"}, 30)
    assert cache.get("k") == {"分数": "98.50"}  # kept in local memory meanwhile
    assert cache.add("k", "other") is False
    assert cache.add("new", 1) is True
    assert cache.incr("new") == 2
    assert cache.has_key("k")
    assert cache.touch("k", 60)
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.get_or_set("c", lambda: 3) == 3
    cache.delete("k")
    cache.delete_many(["a", "b"])
    assert cache.get("k") is None
    cache.clear()
    assert cache.get("c") is None


# --- the breaker: one connection attempt per retry interval, one warning per warning interval ----


def test_one_warning_per_interval_and_no_attempt_while_the_breaker_is_open(redis_down, clock, caplog):
    stub = redis_down.redis = CountingRedis()
    with caplog.at_level("WARNING", logger="kaohe.cache"):
        for _ in range(50):
            assert redis_down.get("k") is None
        assert stub.calls == 1  # only the first call tried Redis
        assert len(warnings_from_the_cache(caplog)) == 1
        for _ in range(3):  # tried again every 15 s, and failing quietly within the minute
            clock.now += 16
            redis_down.set("k", "v")
            assert redis_down.get("k") == "v"
        assert stub.calls == 4
        assert len(warnings_from_the_cache(caplog)) == 1
        clock.now += 16  # 64 s after the first warning: the next failure is logged
        redis_down.get("k")
        found = warnings_from_the_cache(caplog)
        assert len(found) == 2
        assert "3 more failures" in found[1].getMessage()


def test_the_breaker_closes_when_redis_answers_again(redis_down, clock, caplog):
    stub = redis_down.redis = CountingRedis()
    with caplog.at_level("WARNING", logger="kaohe.cache"):
        redis_down.set("k", "written during the outage")
        assert redis_down.get("k") == "written during the outage"
        stub.down = False
        assert redis_down.get("k") == "written during the outage"  # the breaker is still open
        clock.now += 16
        assert redis_down.get("k") is None  # from Redis, which never saw that write
        assert not redis_down.breaker.down
        assert redis_down.local.get("k") is None  # the local tier was emptied
        redis_down.set("k", "in redis")
        assert stub.data["k"] == "in redis"
    messages = [r.getMessage() for r in warnings_from_the_cache(caplog)]
    assert len(messages) == 2 and "answers again" in messages[1]


def test_a_password_in_the_url_stays_out_of_the_log(clock, caplog):
    reset_breakers()
    backend = FallbackRedisCache("redis://:s3cret@127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    with caplog.at_level("WARNING", logger="kaohe.cache"):
        assert backend.get("k") is None
    reset_breakers()
    (record,) = warnings_from_the_cache(caplog)
    assert "s3cret" not in record.getMessage() and "127.0.0.1:1" in record.getMessage()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_with_redis_up_values_go_to_redis_not_the_local_tier():
    backend = caches["default"]
    assert isinstance(backend, FallbackRedisCache)
    cache.set("kaohe-resilience", 7, 30)
    assert backend.redis.get("kaohe-resilience") == 7
    assert backend.local.get("kaohe-resilience") is None
    assert not backend.breaker.down


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
@pytest.mark.parametrize("stored", [
    b"\x80\x02ckaohe.scoring.facts\nFigure\nq\x00)\x81q\x01}q\x02b.",  # a dataclass Figure: now a named tuple
    b"ckaohe.scoring.facts\nNoSuchClass\n(tR.",  # a class since removed
])
def test_a_value_an_earlier_version_stored_is_a_miss_not_an_error(stored, caplog):
    backend = caches["default"]
    key = backend.redis.make_and_validate_key("kaohe-old-shape")
    backend.redis._cache.get_client(key, write=True).set(key, stored, ex=30)
    with caplog.at_level(logging.WARNING, logger="kaohe.cache"):
        assert cache.get("kaohe-old-shape", "missing") == "missing"
    assert "kaohe-old-shape" in caplog.text and "no longer reads back" in caplog.text
    assert backend.redis._cache.get_client(key).get(key) is None  # deleted, so it is computed again once
    backend.redis._cache.get_client(key, write=True).set(key, stored, ex=30)
    cache.set("kaohe-fine", 3, 30)
    assert cache.get_many(["kaohe-old-shape", "kaohe-fine"]) == {"kaohe-fine": 3}
    assert cache.get_or_set("kaohe-old-shape", 5, 30) == 5 and cache.get("kaohe-old-shape") == 5


# --- Content-Security-Policy ---------------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.django_db
def test_pages_carry_a_strict_policy(client, people, round_):
    pages = [reverse("kaohe:login")]
    client.force_login(people["staff2"])
    pages += [reverse("kaohe:home"), reverse("kaohe:grid", args=[round_.pk, "anquan"])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["frame-ancestors"] == ["'none'"]
        for name in ("script-src-elem", "script-src-attr"):
            assert name not in policy  # nothing loosens scripts through the narrower directives
        scripts = policy["script-src"] + policy["default-src"]
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"} & set(scripts)


INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
EVENT_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*?\son[a-z]+\s*=", re.IGNORECASE)
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)


def inline_script_problems(html: str) -> list[str]:
    problems = []
    for attributes, body in INLINE_SCRIPT.findall(html):
        if DATA_BLOCK.search(attributes):
            continue  # a JSON data block (json_script) is never executed
        if body.strip() or "src=" not in attributes.replace(" ", ""):
            problems.append(f"<script{attributes}>{body.strip()[:60]}")
    problems += [m.group(0)[:80] for m in EVENT_ATTRIBUTE.finditer(html)]
    problems += re.findall(r"""\b(?:href|src|action)\s*=\s*["']\s*javascript:""", html, re.IGNORECASE)
    return problems


def test_no_template_has_inline_script_or_event_handlers():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    found = {str(t.relative_to(TEMPLATES)): inline_script_problems(t.read_text(encoding="utf-8")) for t in templates}
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_checker_sees_inline_script():
    assert inline_script_problems("<script>alert(1)</script>")
    assert inline_script_problems('<button class="x" onclick="go()">')
    assert inline_script_problems("<form\n  onsubmit='return confirm(1)'>")
    assert inline_script_problems('<a href="javascript:void(0)">')
    assert not inline_script_problems('<script src="/static/kaohe/grid.js" defer></script>')
    assert not inline_script_problems('<script id="d" type="application/json">{"a": 1}</script>')
    assert not inline_script_problems("<p>Questions on the form: ask the section.</p>")


@pytest.mark.django_db
def test_rendered_pages_have_no_inline_script_and_load_the_grid_script(client, people, round_):
    client.force_login(people["staff2"])
    grid = client.get(reverse("kaohe:grid", args=[round_.pk, "anquan"])).content.decode()
    assert 'src="/static/kaohe/grid.js"' in grid
    for html in (grid, client.get(reverse("kaohe:home")).content.decode()):
        assert inline_script_problems(html) == []


def test_the_grid_script_is_a_static_file():
    from django.contrib.staticfiles import finders

    found = finders.find("kaohe/grid.js")
    assert found and "form.dataset.preview" in Path(found).read_text(encoding="utf-8")
