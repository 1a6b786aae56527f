"""Copying a scheme of every method yields an identical scheme, compared generically through the models' _meta.

The comparison walks what ``kaohe.actions.schemes`` says defines a scheme (DEFINITION and NESTED), so a model
or a field added there later is compared without touching this file.
"""

from dataclasses import replace

import pytest
from django.db import models

from kaohe.actions.schemes import DEFINITION, NESTED, do_copy_scheme, do_load_scheme
from kaohe.models import AuditEvent, Indicator, Membership, RaterGroup, Rule, Scheme, SchemeGroup, Section
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.seed import read_scheme_file, scheme_file
from kaohe.services.spec import scheme_spec

pytestmark = pytest.mark.django_db

FAMILIES = ["town", "employee", "mbo", "dept_kpi", "project", "centre"]  # points, weighted, objectives, weighted KPIs…
SCHEME_SKIPPED = {"id", "code", "name", "year"}
NATURAL_KEY = {SchemeGroup: "group_id"}  # every other record of a scheme is known by its code
TREE = {model for model, _link in DEFINITION} | {child for children in NESTED.values() for child, _l in children}

def natural_key(row: models.Model):
    return getattr(row, NATURAL_KEY.get(type(row), "code"))


def _scheme_id(row: models.Model) -> int:
    """The scheme a record of the tree belongs to, following the links DEFINITION and NESTED name."""
    for model, link in DEFINITION:
        if isinstance(row, model):
            return getattr(row, f"{link}_id")
    for parent, children in NESTED.items():
        for child, link in children:
            if isinstance(row, child):
                return _scheme_id(parent.objects.get(pk=getattr(row, f"{link}_id")))
    raise AssertionError(f"{type(row).__name__} is not part of a scheme's definition")


def _compare_row(old: models.Model, new: models.Model, link: str, copy: Scheme, where: str) -> list[str]:
    problems = []
    for field in type(old)._meta.concrete_fields:
        if field.primary_key or field.name == link:
            continue
        if field.is_relation and field.related_model in TREE:
            before, after = getattr(old, field.name), getattr(new, field.name)
            if (before is None) != (after is None):
                problems.append(f"{where}.{field.name}: {before!r} != {after!r}")
            elif after is not None:
                if natural_key(before) != natural_key(after):
                    problems.append(f"{where}.{field.name}: {natural_key(before)!r} != {natural_key(after)!r}")
                if _scheme_id(after) != copy.pk:
                    problems.append(f"{where}.{field.name}: points into scheme #{_scheme_id(after)}, "
                                    f"not the copy #{copy.pk}")
            continue
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            problems.append(f"{where}.{field.attname}: {before!r} != {after!r}")
    return problems


def _compare_children(model, link: str, old_parent, new_parent, copy: Scheme, where: str) -> list[str]:
    problems = []
    old_rows = list(model.objects.filter(**{link: old_parent}))
    new_rows = list(model.objects.filter(**{link: new_parent}))
    label = f"{where}{model.__name__}"
    if len(old_rows) != len(new_rows):
        problems.append(f"{label}: {len(old_rows)} rows != {len(new_rows)} rows")
    old_by_key = {natural_key(r): r for r in old_rows}
    new_by_key = {natural_key(r): r for r in new_rows}
    for key in sorted(old_by_key.keys() - new_by_key.keys(), key=str):
        problems.append(f"{label}[{key}]: missing from the copy")
    for key in sorted(new_by_key.keys() - old_by_key.keys(), key=str):
        problems.append(f"{label}[{key}]: only in the copy")
    for key in sorted(old_by_key.keys() & new_by_key.keys(), key=str):
        old, new = old_by_key[key], new_by_key[key]
        problems += _compare_row(old, new, link, copy, f"{label}[{key}]")
        for child, child_link in NESTED.get(model, ()):
            problems += _compare_children(child, child_link, old, new, copy, f"{label}[{key}]/")
    return problems


def scheme_differences(original: Scheme, copy: Scheme) -> list[str]:
    """Every difference between two schemes' definitions; empty when the copy is identical."""
    original, copy = Scheme.objects.get(pk=original.pk), Scheme.objects.get(pk=copy.pk)
    problems = []
    for field in Scheme._meta.concrete_fields:
        if field.name in SCHEME_SKIPPED:
            continue
        if getattr(original, field.attname) != getattr(copy, field.attname):
            problems.append(f"Scheme.{field.attname}: {getattr(original, field.attname)!r} != "
                            f"{getattr(copy, field.attname)!r}")
    for model, link in DEFINITION:
        problems += _compare_children(model, link, original, copy, copy, "")
    return problems


def refusal_of(call) -> Exception | None:
    """What ``call`` raised, whatever it was, so that a test can check what was left behind before its type."""
    try:
        call()
    except Exception as raised:
        return raised
    return None


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Scheme, *TREE, AuditEvent)}


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "a-Long-pass-4821")


@pytest.mark.parametrize("family", FAMILIES)
def test_copying_a_scheme_yields_an_identical_scheme(family, admin):
    original = do_load_scheme(family, 2026)
    copy = do_copy_scheme(original, year=2027, acting_user=admin)

    assert copy.pk != original.pk and copy.year == 2027
    assert scheme_differences(original, copy) == []
    for model, link in DEFINITION:
        assert model.objects.filter(**{link: copy}).count() == model.objects.filter(**{link: original}).count()
        for parent, children in NESTED.items():
            if parent is model:
                for child, child_link in children:
                    count = {s: child.objects.filter(**{f"{child_link}__{link}": s}).count() for s in (original, copy)}
                    assert count[copy] == count[original], child.__name__
    # The tree's own links point inside the copy, never back to the original's rows.
    assert not Indicator.objects.filter(scheme=copy).exclude(parent=None).exclude(parent__scheme=copy).exists()
    assert not Rule.objects.filter(scheme=copy).exclude(indicator=None).exclude(indicator__scheme=copy).exists()
    assert scheme_spec(copy) == replace(scheme_spec(original), code=copy.code, year=2027)
    assert AuditEvent.objects.filter(action="scheme.copy", user=admin, scheme=copy).count() == 1


def test_every_method_is_covered_and_each_file_defines_something_to_copy(admin):
    methods = set()
    for family in FAMILIES:
        scheme = do_load_scheme(family, 2026)
        methods.add(scheme.method)
        assert Indicator.objects.filter(scheme=scheme).exclude(parent=None).exists(), family
        assert Rule.objects.filter(scheme=scheme).exclude(indicator=None).exists(), family
    assert methods == {"points", "weighted", "objectives"}


@pytest.mark.parametrize(
    "family",
    [
        "town",
        "employee",
        "mbo",
        "dept_kpi",
    ],
)
def test_the_copy_is_named_as_the_scheme_file_names_that_year(family, admin):
    original = do_load_scheme(family, 2026)
    copy = do_copy_scheme(original, year=2027, acting_user=admin)
    head = read_scheme_file(scheme_file(family), 2027)["scheme"]
    assert (copy.code, copy.name) == (head["code"], head["name"])


def test_the_comparison_reports_a_changed_field_and_a_link_back_to_the_original(admin):
    original = do_load_scheme("town", 2026)
    copy = do_copy_scheme(original, year=2027, acting_user=admin)
    assert scheme_differences(original, copy) == []

    Rule.objects.filter(scheme=copy, code="8.1.a").update(amount="-0.75")
    item = Indicator.objects.get(scheme=copy, code="8.1")
    Indicator.objects.filter(pk=item.pk).update(parent=Indicator.objects.get(scheme=original, code="8"))
    Scheme.objects.filter(pk=copy.pk).update(decimal_places=3)

    found = scheme_differences(original, copy)
    assert any(p.startswith("Scheme.decimal_places") for p in found), found
    assert any(p.startswith("Rule[8.1.a].amount") for p in found), found
    assert any(p.startswith("Indicator[8.1].parent: points into scheme") for p in found), found
    assert len(found) == 3, found

    Rule.objects.filter(scheme=copy, code="8.1.a").delete()
    rules = Rule.objects.filter(scheme=original).count()
    found = scheme_differences(original, copy)
    assert f"Rule: {rules} rows != {rules - 1} rows" in found, found
    assert "Rule[8.1.a]: missing from the copy" in found, found


def test_the_comparison_reaches_the_rater_groups_under_the_sources(admin):
    original = do_load_scheme("employee", 2026)
    copy = do_copy_scheme(original, year=2027, acting_user=admin)
    RaterGroup.objects.filter(source__scheme=copy, source__code="review360", code="peer").update(min_raters=2)
    RaterGroup.objects.filter(source__scheme=copy, source__code="self", code="superior").delete()
    assert scheme_differences(original, copy) == [
        "RatingSource[review360]/RaterGroup[peer].min_raters: 3 != 2",
        "RatingSource[self]/RaterGroup: 2 rows != 1 rows",
        "RatingSource[self]/RaterGroup[superior]: missing from the copy",
    ]


@pytest.mark.parametrize(
    "family",
    [
        "town",
        "employee",
        "mbo",
        "dept_kpi",
    ],
)
def test_copying_to_a_year_that_exists_is_refused_and_changes_nothing(family, admin):
    original = do_load_scheme(family, 2026)
    do_copy_scheme(original, year=2027, acting_user=admin)
    before = row_counts()
    for year in (2026, 2027):
        raised = refusal_of(lambda year=year: do_copy_scheme(original, year=year, acting_user=admin))
        assert row_counts() == before
        assert isinstance(raised, Refused) and not isinstance(raised, NotAllowed), repr(raised)
        assert raised.code == "scheme_exists"


@pytest.mark.parametrize(
    "family",
    [
        "town",
        "employee",
        "mbo",
        "dept_kpi",
    ],
)
def test_copying_onto_a_year_loaded_from_the_file_is_refused(family, admin):
    original = do_load_scheme(family, 2026)
    do_load_scheme(family, 2027)
    before = row_counts()
    raised = refusal_of(lambda: do_copy_scheme(original, year=2027, acting_user=admin))
    assert row_counts() == before
    assert isinstance(raised, Refused) and not isinstance(raised, NotAllowed), repr(raised)
    assert raised.code == "scheme_exists"


def test_a_year_outside_the_range_is_refused_and_changes_nothing(admin):
    original = do_load_scheme("town", 2026)
    before = row_counts()
    with pytest.raises(Refused) as refused:
        do_copy_scheme(original, year=1999, acting_user=admin)
    assert refused.value.code == "bad_year" and not isinstance(refused.value, NotAllowed)
    assert row_counts() == before


@pytest.mark.parametrize("role", [None, "collector", "staff", "observer"])
def test_only_an_administrator_copies_and_a_refusal_creates_nothing(role, django_user_model):
    original = do_load_scheme("town", 2026)
    user = django_user_model.objects.create_user("clerk", "clerk@example.invalid", "a-Long-pass-4821",
                                                 is_staff=True)
    if role is not None:
        section = Section.objects.first() if role == "staff" else None
        Membership.objects.create(user=user, role=role, section=section)
    before = row_counts()
    with pytest.raises(NotAllowed) as denied:
        do_copy_scheme(original, year=2027, acting_user=user)
    assert denied.value.code == "admin_only"
    assert row_counts() == before
    assert not Scheme.objects.filter(year=2027).exists()
