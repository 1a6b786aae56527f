from contextlib import contextmanager

import pytest
from redis import Redis


@pytest.fixture
def town(db):
    """The shipped town scheme for 2026, loaded the way `load_seed_scheme` loads it."""
    from kaohe.actions.schemes import do_load_scheme as load_scheme

    return load_scheme("town", 2026)


@pytest.fixture
def units(town):
    from kaohe.models import Unit, UnitGroup

    groups = {g.code: g for g in UnitGroup.objects.all()}
    made = {}
    for name, group in [("城关镇", "town"), ("东山镇", "town"), ("西河镇", "town"), ("南湖镇", "town"),
                        ("开发区", "entity"), ("县机械厂", "direct")]:
        made[name] = Unit.objects.create(name=name, group=groups[group])
    return made


PASSWORD = "a-Long-pass-4821"


@pytest.fixture
def people(town, units, django_user_model):
    """One user per role: staff and head of 财统科 (caitong) and of 安全 (anquan), the collector,
    three meeting members, two town users, an observer, and an administrator."""
    from kaohe.models import Membership, Section

    sections = {s.code: s for s in Section.objects.all()}

    def user(name, role, section=None, unit=None, **extra):
        made = django_user_model.objects.create_user(name, f"{name}@example.invalid", PASSWORD, **extra)
        Membership.objects.create(user=made, role=role, section=sections.get(section), unit=units.get(unit))
        return made

    made = {
        "admin": user("admin", "admin", is_staff=True),
        "staff": user("staff", "staff", "caitong"),
        "head": user("head", "head", "caitong"),
        "staff2": user("staff2", "staff", "anquan"),
        "head2": user("head2", "head", "anquan"),
        "collector": user("collector", "collector"),
        "m1": user("m1", "meeting"),
        "m2": user("m2", "meeting"),
        "m3": user("m3", "meeting"),
        "town": user("town", "unit", unit="城关镇"),
        "town2": user("town2", "unit", unit="东山镇"),
        "observer": user("observer", "observer"),
    }
    # Every other section gets a staff member and a head too, so a whole round can be signed.
    for code, section in sections.items():
        if code not in {"caitong", "anquan"}:
            Membership.objects.create(user=made["staff"], role="staff", section=section)
            Membership.objects.create(user=made["head"], role="head", section=section)
    return made


@pytest.fixture
def round_(people, town):
    from kaohe.actions.rounds import do_open_round

    return do_open_round(town, name="2026年度考核", acting_user=people["admin"])


def fresh(user):
    """The same user without the roles cached on the object (as a new request would see them)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Real hashing costs a second per user here; tests that create a dozen users need not pay it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a test client's request leaves its own language active
    in the thread, which a later test calling a command or a service directly would otherwise run in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (Redis in CI), as ids repeat between rolled-back tests."""
    from django.core.cache import cache

    from kaohe.services.memo import forget_all

    cache.clear()
    forget_all()
    yield
    cache.clear()
    forget_all()


@contextmanager
def own_redis(settings, number: int):
    """``REDIS_URL`` pointed at a Redis database of one test module's own, empty before and after."""
    settings.REDIS_URL = f"redis://127.0.0.1:6379/{number}"
    connection = Redis.from_url(settings.REDIS_URL)
    connection.flushdb()
    try:
        yield connection
    finally:
        connection.flushdb()
