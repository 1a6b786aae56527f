from decimal import Decimal as D

import pytest

from kaohe.actions.economy import do_import_economy as import_economy
from kaohe.actions.units import do_import_units as import_units
from kaohe.imports.errors import ImportRejected
from kaohe.models import EconomicFigure, Unit
from kaohe.scoring import AsOf

from .helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_units_are_created_then_updated_in_place(town):
    first = import_units(csv_bytes("name,group\n城关镇,town\n开发区,entity\n"), "u.csv")
    assert (first.created, first.updated) == (2, 0)
    second = import_units(xlsx_bytes([["name", "group"], ["城关镇", "town"], ["开发区", "direct"]]), "u.xlsx")
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert Unit.objects.get(name="开发区").group.code == "direct"
    assert Unit.objects.get(name="开发区").history.count() == 2


def test_bad_units_file_names_every_row(town):
    with pytest.raises(ImportRejected) as caught:
        import_units(csv_bytes("name,group\n城关镇,town\n城关镇,town\n,town\n东山镇,village\n"), "u.csv")
    assert [(e.line, e.column, e.code) for e in caught.value.errors] == [
        (3, "name", "duplicate_row"), (4, "name", "required"), (5, "group", "unknown_group")]
    assert Unit.objects.count() == 0


def test_economy_import_and_idempotent_reimport(town, units):
    text = "unit,indicator,target,actual\n城关镇,output,\"1,200\",600\n城关镇,profit,100,-20.5\n"
    first = import_economy(csv_bytes(text), "e.csv", town, AsOf(2026, 6))
    assert first.created == 2
    again = import_economy(csv_bytes(text), "e.csv", town, AsOf(2026, 6))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    figure = EconomicFigure.objects.get(indicator__code="output")
    assert (figure.target, figure.actual, figure.month) == (D(1200), D(600), 6)
    changed = import_economy(csv_bytes("unit,indicator,target,actual\n城关镇,output,1200,700\n"), "e2.csv",
                             town, AsOf(2026, 6))
    assert changed.updated == 1
    figure.refresh_from_db()
    assert figure.actual == D(700)
    assert [h.actual for h in figure.history.order_by("history_date")] == [D(600), D(700)]


def test_bad_economy_rows(town, units):
    text = ("unit,indicator,target,actual\n无名镇,output,1,1\n城关镇,gdp,1,1\n城关镇,output,-5,x\n"
            "城关镇,revenue,10,5\n城关镇,revenue,10,6\n")
    with pytest.raises(ImportRejected) as caught:
        import_economy(csv_bytes(text), "e.csv", town, AsOf(2026, 6))
    assert [(e.line, e.column, e.code) for e in caught.value.errors] == [
        (2, "unit", "unknown_unit"), (3, "indicator", "unknown_indicator"), (4, "actual", "not_a_number"),
        (4, "target", "negative"), (6, "indicator", "duplicate_row")]
    assert EconomicFigure.objects.count() == 0


def test_economy_month_outside_the_scheme_year(town, units):
    with pytest.raises(ImportRejected) as caught:
        import_economy(csv_bytes("unit,indicator,target,actual\n城关镇,output,1,1\n"), "e.csv", town, AsOf(2025, 6))
    assert caught.value.errors[0].code == "as_of_outside_year"
