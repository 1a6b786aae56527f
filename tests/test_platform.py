"""Settings from the environment, the deploy check, Redis and the append-only ledger."""

import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from kaohe.models import LedgerEntry, Rule

ROOT = Path(__file__).resolve().parent.parent


def test_deploy_check_is_clean_with_debug_off_and_a_secret():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 20 + uuid.uuid4().hex * 2,
           "DJANGO_ALLOWED_HOSTS": "kaohe.example.org"}
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_debug_off_without_a_secret_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"} | {"DJANGO_DEBUG": "0"}
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in done.stderr


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_the_cache_is_redis_and_round_trips():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    key = f"kaohe-test-{uuid.uuid4().hex}"
    cache.set(key, {"分数": "98.50"}, 30)
    assert cache.get(key) == {"分数": "98.50"}
    cache.delete(key)
    assert cache.get(key) is None


@pytest.mark.django_db
def test_ledger_rows_cannot_be_changed_or_deleted(town, units):
    rule = Rule.objects.get(scheme=town, code="8.1.a")
    entry = LedgerEntry.objects.create(scheme=town, unit=units["城关镇"], rule=rule, date=date(2026, 1, 5))
    entry.quantity = 5
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert LedgerEntry.objects.get(pk=entry.pk).quantity == 1
