"""A project's evaluation on its Desk page: the owning section's staff write the panel's findings and record
on-site reviews with evidence; another section's staff may not; a bad file or a date outside the year is
refused by name and writes nothing; the printed evaluation report is offered on the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.actions.rounds import do_open_round
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.units import do_import_units
from kaohe.management.demo_services import tiny_png
from kaohe.models import AuditEvent, Membership, PanelFindings, Section, SiteReview, Unit
from tests.imports.helpers import csv_bytes
from tests.printing.conftest import shipped_formats  # noqa: F401  (the evaluation report in the print menu)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_round(people):
    scheme = do_load_scheme("project", 2026)
    do_import_units(csv_bytes("name,group\n数字化项目,project\n"), "projects.csv")
    owner = Section.objects.get(code="xiangmu")
    Membership.objects.create(user=people["staff2"], role="staff", section=owner)  # 安全科 staff, and 项目科 too
    round_ = do_open_round(scheme, name="2026年度重点项目考核", acting_user=people["admin"])
    return round_, Unit.objects.get(name="数字化项目")


def test_the_owning_section_writes_findings_and_records_a_review_with_its_photo(client, people, project_round):
    round_, unit = project_round
    client.force_login(people["staff2"])
    sheet = f"/sheets/{round_.sheets.get(unit=unit).pk}/"  # the staff's page for the project, before publication
    page = f"/rounds/{round_.pk}/units/{unit.pk}/"
    html = client.get(sheet).content.decode()
    assert 'id="findings-form"' in html and 'id="site-review-form"' in html
    written = {"findings": "按合同推进", "problems": "响应偏慢", "suggestions": "建立台账", "next": sheet}
    answer = client.post(page + "findings/", written)
    assert answer.status_code == 302 and answer["Location"] == sheet
    saved = PanelFindings.objects.get(round=round_, unit=unit)
    assert (saved.findings, saved.problems, saved.suggestions, saved.written_by) == (
        "按合同推进", "响应偏慢", "建立台账", people["staff2"])
    photo = SimpleUploadedFile("现场.png", tiny_png(), content_type="image/png")
    client.post(page + "site-reviews/", {"date": "2026-11-05", "evaluators": "专家甲、专家乙",
                                         "observed": "查看台账", "evidence": photo})
    review = SiteReview.objects.get(scheme=round_.scheme, unit=unit)
    assert [f.original_name for f in review.files.all()] == ["现场.png"] and review.created_by == people["staff2"]
    assert AuditEvent.objects.filter(action__in=["findings.save", "site_review.add"]).count() == 2
    html = client.get(sheet).content.decode()
    assert "按合同推进" in html and "专家甲、专家乙" in html and "现场.png" in html
    client.force_login(people["collector"])  # the unit's result page, with the report in its print menu
    html = client.get(page).content.decode()
    assert "按合同推进" in html and 'data-format="evaluation_report"' in html


def test_a_bad_file_or_a_date_outside_the_year_is_refused_and_writes_nothing(client, people, project_round):
    round_, unit = project_round
    client.force_login(people["staff2"])
    page, sheet = f"/rounds/{round_.pk}/units/{unit.pk}/", f"/sheets/{round_.sheets.get(unit=unit).pk}/"
    fake = SimpleUploadedFile("现场.png", b"not a picture", content_type="image/png")
    answer = client.post(page + "site-reviews/", {"date": "2026-11-05", "evaluators": "专家甲", "observed": "x",
                                                  "evidence": fake, "next": sheet}, follow=True)
    assert answer.status_code == 200 and "现场.png" in answer.content.decode()
    answer = client.post(page + "site-reviews/", {"date": "2025-11-05", "evaluators": "专家甲", "observed": "x",
                                                  "next": sheet}, follow=True)
    assert "2026" in answer.content.decode()
    assert not SiteReview.objects.exists()


def test_another_section_and_the_unit_may_neither_write_findings_nor_record_reviews(client, people, project_round):
    round_, unit = project_round
    page = f"/rounds/{round_.pk}/units/{unit.pk}/"
    client.force_login(people["town"])  # an assessed town: not a bureau section at all
    assert client.post(page + "findings/", {"findings": "x"}).status_code == 403
    assert client.post(page + "site-reviews/", {"date": "2026-11-05", "evaluators": "a", "observed": "b"}
                       ).status_code == 403
    assert not PanelFindings.objects.exists() and not SiteReview.objects.exists()
