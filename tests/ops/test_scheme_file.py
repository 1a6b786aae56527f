"""A scheme as one YAML file: export → import → export gives the same bytes; a bad file imports nothing and
names every bad record by line and field."""

import pytest

from kaohe.actions.scheme_import import do_import_scheme
from kaohe.actions.schemes import do_load_scheme
from kaohe.imports.errors import ImportRejected
from kaohe.models import Indicator, Rule, Scheme
from kaohe.refusals import NotAllowed
from kaohe.services.scheme_yaml import export_scheme
from kaohe.services.spec import scheme_spec

pytestmark = pytest.mark.django_db

FAMILIES = ["town", "employee", "mbo", "dept_kpi", "project", "centre"]


def _renamed(text: str, old: str, new: str) -> str:
    return text.replace(f"code: {old}\n", f"code: {new}\n", 1)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_shipped_scheme_survives_export_and_import_byte_for_byte(family):


    original = do_load_scheme(family, 2026)
    text = export_scheme(original)
    copy = do_import_scheme(_renamed(text, original.code, "shared-copy"), acting_user=None)
    assert export_scheme(copy) == _renamed(text, original.code, "shared-copy")
    spec, copied = scheme_spec(original), scheme_spec(copy)
    assert copied.items == spec.items and copied.rules == spec.rules


def test_the_file_is_readable_and_uses_codes_not_ids():
    text = export_scheme(do_load_scheme("town", 2026))
    assert "name: 2026年度各镇企业服务中心工作目标任务考核" in text
    assert "indicator: '1.2'" in text or "indicator: 1.2" in text or "indicator: '8.1'" in text
    assert "section: caitong" in text
    assert " id:" not in text and "_id:" not in text


def test_a_file_with_bad_records_imports_nothing_and_names_each(people):


    original = Scheme.objects.get(code="town-2026")
    text = _renamed(export_scheme(original), original.code, "town-bad")
    lines = text.splitlines()
    amount = next(n for n, line in enumerate(lines) if line.strip().startswith("amount: '-"))
    lines[amount] = lines[amount].split(":")[0] + ": lots"
    section = next(n for n, line in enumerate(lines) if line.strip() == "section: caitong")
    lines[section] = lines[section].replace("caitong", "nosuchsection")
    schemes, rules, items = Scheme.objects.count(), Rule.objects.count(), Indicator.objects.count()

    with pytest.raises(ImportRejected) as rejected:
        do_import_scheme("\n".join(lines) + "\n", acting_user=None)
    found = {(e.code, e.column.rsplit(".", 1)[-1], e.value) for e in rejected.value.errors}
    assert ("invalid", "amount", "lots") in found
    assert ("unknown_reference", "section", "nosuchsection") in found
    assert all(e.line > 1 for e in rejected.value.errors)
    assert (Scheme.objects.count(), Rule.objects.count(), Indicator.objects.count()) == (schemes, rules, items)


def test_an_existing_code_and_a_foreign_file_are_refused(town):


    with pytest.raises(ImportRejected) as exists:
        do_import_scheme(export_scheme(town), acting_user=None)
    assert exists.value.errors[0].code == "scheme_exists"
    with pytest.raises(ImportRejected) as foreign:
        do_import_scheme("just: [a, list\n", acting_user=None)
    assert foreign.value.errors[0].code == "not_yaml"


def test_only_the_administrator_imports(people, town):



    with pytest.raises(NotAllowed):
        do_import_scheme(_renamed(export_scheme(town), town.code, "x-1"), acting_user=people["head"])
    assert not Scheme.objects.filter(code="x-1").exists()


def test_print_formats_travel_with_the_scheme(town):
    from kaohe.models import PrintFormat

    text = export_scheme(town)
    assert "print_formats:" in text and "code: scorecard" in text
    before = PrintFormat.objects.filter(code="scorecard").count()
    changed = _renamed(text, town.code, "town-shared").replace("name: 考核得分表", "name: 考核得分表（乙县）", 1)
    copy = do_import_scheme(changed, acting_user=None)
    newest = PrintFormat.objects.filter(code="scorecard").order_by("-version").first()
    assert PrintFormat.objects.filter(code="scorecard").count() == before + 1 and newest.name == "考核得分表（乙县）"
    assert export_scheme(copy) == changed  # the file's format is now the one in use: the same bytes again


def test_a_print_format_whose_template_does_not_render_imports_nothing(town):
    from kaohe.models import PrintFormat

    text = _renamed(export_scheme(town), town.code, "town-broken")
    broken = text.replace("{{", "{% if %}{{", 1)
    formats = PrintFormat.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        do_import_scheme(broken, acting_user=None)
    assert any(e.column.startswith("print_formats[") for e in rejected.value.errors)
    assert not Scheme.objects.filter(code="town-broken").exists() and PrintFormat.objects.count() == formats
