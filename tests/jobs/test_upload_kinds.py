"""Every import the command line offers has its Desk page and template, and writes through the same action."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.units import do_import_units
from kaohe.imports.kinds import KINDS
from kaohe.models import EconomicFigure, Measurement, Rating, UnitGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemes(town, people):
    """One scheme of every method, with people and departments to assess."""
    employee, kpi, mbo = (do_load_scheme(family, 2026) for family in ("employee", "dept_kpi", "mbo"))
    do_import_units("name,group\n张三,kefu\n李四,kefu\n陈静,kefu\n销售部,sales\n".encode(), "people.csv")
    return {"points": town, "weighted": employee, "kpi": kpi, "objectives": mbo}


def scheme_for(kind, schemes):
    which = {"ledger": "points", "economy": "points", "ratings": "weighted", "measures": "kpi",
             "objectives": "objectives"}.get(kind.code)
    return schemes[which] if which else None


@pytest.mark.parametrize("code", sorted(KINDS))
def test_each_import_has_a_page_and_a_template_with_its_lists(client, people, schemes, code):
    kind = KINDS[code]
    scheme = scheme_for(kind, schemes)
    client.force_login(people["admin"])
    assert client.get(f"/imports/{code}/").status_code == 200
    query = f"?scheme={scheme.code}" if scheme else ""
    book = load_workbook(io.BytesIO(client.get(f"/imports/{code}/template.xlsx{query}").content))
    sheet = book[code]
    assert [c.value for c in sheet[1]] == kind.columns and sheet.freeze_panes == "A2"
    validated = {str(v.sqref).split(":")[0].rstrip("0123456789") for v in sheet.data_validations.dataValidation}
    lists = {get_column_letter(index) for index, column in enumerate(kind.columns, start=1) if column in kind.lists}
    assert validated == lists


def post_file(client, code, text, **form):
    response = client.post(f"/imports/{code}/", {"file": SimpleUploadedFile(f"{code}.csv", text.encode()), **form})
    assert response.status_code == 302, response.content.decode()[:400]
    page = client.get(response["Location"]).content.decode()
    assert 'id="confirm"' in page, page[page.find('id="problems"'):][:600]
    return client.post(response["Location"] + "confirm/")


def test_economic_figures_for_the_chosen_month(client, people, schemes, units):
    client.force_login(people["collector"])
    post_file(client, "economy", "unit,indicator,target,actual\n城关镇,output,1000,600\n东山镇,output,800,800\n",
              scheme=schemes["points"].code, month="6")
    assert set(EconomicFigure.objects.values_list("unit__name", "month", "target", "actual")) == {
        ("城关镇", 6, 1000, 600), ("东山镇", 6, 800, 800)}


def test_ratings_measures_and_groups(client, people, schemes):
    client.force_login(people["admin"])
    post_file(client, "ratings", "ratee,criterion,source,group,rater,rating,period\n"
                                 "张三,3.1,quarterly,,陈静,A,2026-Q1\n李四,3.1,quarterly,,陈静,B,2026-Q1\n",
              scheme=schemes["weighted"].code)
    assert sorted(Rating.objects.values_list("letter", "value")) == [("A", 95), ("B", 85)]
    post_file(client, "measures", "unit,indicator,target,actual,date\n销售部,sales.amount,8000,9000,2026-06-30\n",
              scheme=schemes["kpi"].code)
    assert list(Measurement.objects.values_list("actual", "target")) == [(9000, 8000)]
    post_file(client, "groups", "code,name\nlegal,法务部\n")
    assert UnitGroup.objects.get(code="legal").name == "法务部"
