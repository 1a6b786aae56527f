"""Desk forms given what a browser would never send, and text that a spreadsheet would run: a message or a 404,
never a 500, and nothing written."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from kaohe.models import Delegation, ImprovementPlan, Scheme, Unit, UnitGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("section, delegate", [("abc", "1"), ("", ""), ("99999999999999", "1"), ("1", "x")])
def test_a_delegation_form_with_junk_ids_says_so(client, round_, people, section, delegate):
    client.force_login(people["head"])
    response = client.post(reverse("kaohe:delegate"), {"section": section, "delegate": delegate,
                                                         "starts": "2026-12-01", "ends": "2026-12-31"},
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    assert "Choose the section and the colleague" in response.content.decode()
    assert not Delegation.objects.exists()


@pytest.mark.parametrize("year", ["abc", "", "２０２７x", "-1"])
def test_copying_a_scheme_to_a_year_that_is_not_a_number_says_so(client, round_, people, year):
    people["admin"].is_superuser = True
    people["admin"].save()
    client.force_login(people["admin"])
    response = client.post(reverse("kaohe:scheme_copy", args=["town-2026"]), {"year": year},
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    assert "Give the year as four digits" in response.content.decode()
    assert list(Scheme.objects.values_list("code", flat=True)) == ["town-2026"]


def test_a_plan_for_a_unit_outside_the_round_is_not_found(client, round_, people):
    outsider = Unit.objects.create(name="别的方案的人", group=UnitGroup.objects.create(code="dept", name="部门"))
    client.force_login(people["collector"])
    url = reverse("kaohe:save_plan", args=[round_.pk, outsider.pk])
    assert client.post(url, {"actions": "培训", "owner": "某人", "due": "2027-03-01"}).status_code == 404
    assert client.get(reverse("kaohe:unit_result", args=[round_.pk, outsider.pk])).status_code == 404
    assert not ImprovementPlan.objects.exists()


def test_a_unit_named_like_a_formula_is_neutralised_in_the_csv(town, tmp_path, capsys):
    (tmp_path / "units.csv").write_text("name,group\n=HYPERLINK(\"x\"),town\n@SUM(1),town\n普通镇,town\n",
                                        encoding="utf-8")
    call_command("import_units", str(tmp_path / "units.csv"))
    assert Unit.objects.filter(name='=HYPERLINK("x")').exists()  # stored as given
    capsys.readouterr()
    call_command("score", "--scheme", "town-2026", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    cells = {line.split(",")[0] for line in lines[1:]}
    assert "'@SUM(1)" in cells and "普通镇" in cells
    assert not any(c.startswith(("=", "@", "+")) for c in cells)
    assert any(line.startswith('"\'=HYPERLINK') for line in lines)


def test_the_town_ledger_form_offers_only_the_schemes_units(client, round_, people):
    Unit.objects.create(name="客服部张三", group=UnitGroup.objects.create(code="kefu", name="客户服务部"))
    client.force_login(people["staff"])
    page = client.get(reverse("kaohe:ledger_new") + "?scheme=town-2026").content.decode()
    assert "城关镇" in page and "客服部张三" not in page
