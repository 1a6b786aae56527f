import pytest


@pytest.fixture
def town(db):
    """The shipped town scheme for 2026, loaded the way `load_seed_scheme` loads it."""
    from kaohe.services.seed import load_scheme

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
