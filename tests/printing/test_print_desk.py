"""The Desk: the editor and its preview (errors shown, never raised), the Print menu on subject pages, a
subject's PDF, and round batches inline (no Redis) and as RQ jobs on the real Redis."""

import re

import pytest
from django.conf import settings
from django.utils import translation
from rq import SimpleWorker

from kaohe.actions.print_batches import queue
from kaohe.models import PrintBatch, PrintFormat, PrintRecord
from kaohe.printing.render import current_format
from kaohe.printing.shipped import SHIPPED
from tests.conftest import own_redis

from .helpers import decide, pdf_pages, pdf_text, record_rows, squeeze

pytestmark = pytest.mark.django_db


def editor_form(round_, **changes):
    fmt = current_format("scorecard")
    form = {"code": fmt.code, "name": fmt.name, "subject": fmt.subject, "template": fmt.template, "css": fmt.css,
            "page_size": fmt.page_size, "orientation": fmt.orientation, "letterhead": fmt.letterhead,
            "letterhead_image": "", "enabled": "on", "round": round_.pk, "unit": "城关镇", "section": ""}
    form.update(changes)
    return form


def test_the_editor_is_for_administrators(client, round_, people):
    client.force_login(people["collector"])
    assert client.get("/print/formats/scorecard/").status_code == 403
    assert client.post("/print/preview/", editor_form(round_)).status_code == 403
    client.force_login(people["admin"])
    page = client.get("/print/formats/scorecard/").content.decode()
    assert 'id="template"' in page and 'id="preview"' in page and "print_editor.js" in page
    assert client.get("/print/formats/").status_code == 200


def test_the_preview_shows_the_typed_template_over_the_chosen_subject(client, round_, people):
    record_rows(round_.scheme, people)
    client.force_login(people["admin"])
    response = client.post("/print/preview/",
                           editor_form(round_, template="<h1>{{ unit.name }}: {{ unit.total }}</h1>"))
    assert response.status_code == 200
    assert "<h1>城关镇: 94.5</h1>" in response.content.decode()
    # framed by the editor only, styles inline allowed, no script at all
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert PrintFormat.objects.count() == len(SHIPPED) and not PrintRecord.objects.exists()  # a preview saves nothing


@pytest.mark.parametrize(("template", "line"), [
    ("<p>\n{{ unit.name }}\n{% for x in %}", 3),       # does not compile
    ("<p>\n\n\n{{ unit.nothing.deeper }}", 4),          # fails while rendering
    ("{{ unit.__class__.__mro__ }}", 1),               # a sandbox escape
    ("x\n{{ config.SECRET_KEY }}", 2),
])
def test_a_template_error_is_shown_with_its_line_not_raised(client, round_, people, template, line):
    client.force_login(people["admin"])
    response = client.post("/print/preview/", editor_form(round_, template=template))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="template-problem"' in page and f'data-line="{line}"' in page


def test_saving_from_the_editor_makes_a_version_and_a_bad_template_keeps_what_was_typed(client, round_, people):
    client.force_login(people["admin"])
    response = client.post("/print/formats/scorecard/", editor_form(round_, name="得分表二"))
    assert response.status_code == 302 and current_format("scorecard").version == 2
    response = client.post("/print/formats/scorecard/", editor_form(round_, template="{% endfor %}"))
    assert response.status_code == 409 and "{% endfor %}" in response.content.decode()
    assert current_format("scorecard").version == 2


def test_the_proof_pdf_is_the_typed_format(client, round_, people):
    client.force_login(people["admin"])
    response = client.post("/print/proof/", editor_form(round_, template="<p>校样 {{ unit.name }}</p>"))
    assert response["Content-Type"] == "application/pdf"
    assert "校样城关镇" in squeeze(pdf_text(response.content))
    assert not PrintRecord.objects.exists()


def test_the_print_menu_lists_the_enabled_formats_of_the_subject(client, round_, people):
    client.force_login(people["collector"])
    unit_id = round_.sheets.filter(unit__name="城关镇").values_list("unit_id", flat=True).first()
    page = client.get(f"/rounds/{round_.pk}/units/{unit_id}/").content.decode()
    menu = re.search(r'id="print-menu".*?</details>', page, re.S).group(0)
    assert 'data-format="scorecard"' in menu and 'data-format="appraisal_form"' in menu
    assert 'data-format="announcement"' not in menu
    ranking = client.get(f"/rounds/{round_.pk}/ranking/").content.decode()
    assert 'data-format="announcement"' in ranking and 'data-batch="scorecard"' in ranking
    sheet = round_.sheets.get(section__code="caitong", unit__name="城关镇")
    assert 'data-format="section_sheet"' in client.get(f"/sheets/{sheet.pk}/").content.decode()
    fmt = current_format("scorecard")
    PrintFormat.objects.filter(pk=fmt.pk).update(enabled=False)
    page = client.get(f"/rounds/{round_.pk}/units/{unit_id}/").content.decode()
    assert 'data-format="scorecard"' not in page


def test_a_unit_prints_its_own_published_result_only(client, round_, people):
    record_rows(round_.scheme, people)
    decide(round_, people, publish=True)
    client.force_login(people["town"])  # 城关镇
    response = client.get(f"/print/scorecard/rounds/{round_.pk}/?unit=城关镇")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "城关镇考核得分表" in squeeze(pdf_text(response.content))
    assert client.get(f"/print/scorecard/rounds/{round_.pk}/?unit=东山镇").status_code == 403
    assert client.get(f"/print/scorecard/rounds/{round_.pk}/").status_code == 404  # every unit: a batch


def run_batch(client, round_):
    response = client.post(f"/print/scorecard/rounds/{round_.pk}/batch/")
    assert response.status_code == 302
    return PrintBatch.objects.latest("id")


def test_a_batch_runs_inline_without_redis(client, round_, people, settings, django_capture_on_commit_callbacks):
    settings.REDIS_URL = ""
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        batch = run_batch(client, round_)
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == ("done", 6, 6)
    page = client.get(f"/print/batches/{batch.pk}/").content.decode()
    assert 'id="batch-download"' in page and 'http-equiv="refresh"' not in page
    pdf = b"".join(client.get(f"/print/batches/{batch.pk}/file/").streaming_content)
    assert pdf_pages(pdf) >= 6 and squeeze(pdf_text(pdf)).count("考核得分表") == 6


def test_a_failed_batch_says_why_offers_nothing_and_can_be_retried(client, round_, people, settings, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    settings.REDIS_URL = ""
    client.force_login(people["collector"])

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kaohe.printing.render.render_many", full_disk)
    with django_capture_on_commit_callbacks(execute=True):
        batch = run_batch(client, round_)
    batch.refresh_from_db()
    assert batch.state == "failed" and "No space left on device" in batch.error and batch.file == ""
    assert client.get(f"/print/batches/{batch.pk}/file/").status_code == 404
    page = client.get(f"/print/batches/{batch.pk}/").content.decode()
    assert "No space left on device" in page and 'id="batch-retry"' in page and 'id="batch-download"' not in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/print/batches/{batch.pk}/retry/")
    batch.refresh_from_db()
    assert (batch.state, batch.error, batch.done) == ("done", "", 6)
    assert client.get(f"/print/batches/{batch.pk}/file/").status_code == 200


@pytest.fixture
def redis_13(settings):
    with own_redis(settings, 13) as connection:
        yield connection


def test_with_redis_a_batch_is_an_rq_job_with_progress(client, round_, people, redis_13,
                                                       django_capture_on_commit_callbacks):
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        batch = run_batch(client, round_)
    batch.refresh_from_db()
    assert batch.state == "queued" and queue().count == 1  # waiting for a worker, not run in the request
    page = client.get(f"/print/batches/{batch.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'id="batch-download"' not in page
    assert client.get(f"/print/batches/{batch.pk}/file/").status_code == 404
    SimpleWorker([queue()], connection=redis_13).work(burst=True)
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == ("done", 6, 6)
    pdf = b"".join(client.get(f"/print/batches/{batch.pk}/file/").streaming_content)
    assert squeeze(pdf_text(pdf)).count("考核得分表") == 6


def test_with_redis_a_failing_job_is_marked_and_retried(client, round_, people, redis_13, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    client.force_login(people["collector"])
    fmt = current_format("scorecard")
    PrintFormat.objects.filter(pk=fmt.pk).update(template="{{ unit.nothing }}")  # breaks while rendering
    with django_capture_on_commit_callbacks(execute=True):
        batch = run_batch(client, round_)
    SimpleWorker([queue()], connection=redis_13).work(burst=True)
    batch.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):  # the worker writes the error in the site's language
        where = translation.gettext("line %(line)s: %(message)s") % {"line": 1, "message": ""}
    assert batch.state == "failed" and "nothing" in batch.error and batch.error.startswith(where)
    PrintFormat.objects.filter(pk=fmt.pk).update(template=fmt.template)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/print/batches/{batch.pk}/retry/")
    SimpleWorker([queue()], connection=redis_13).work(burst=True)
    batch.refresh_from_db()
    assert batch.state == "done" and client.get(f"/print/batches/{batch.pk}/file/").status_code == 200


def test_a_decided_round_is_laid_out_by_a_worker_so_the_batch_is_only_a_merge(client, round_, people, redis_13,
                                                                              monkeypatch,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide(round_, people)
    assert queue().count == 1  # the preparation job
    SimpleWorker([queue()], connection=redis_13).work(burst=True)

    def no_layout(html):
        raise AssertionError("laid out again")

    monkeypatch.setattr("kaohe.printing.pdf.render_pdf", no_layout)
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        batch = run_batch(client, round_)
    SimpleWorker([queue()], connection=redis_13).work(burst=True)
    batch.refresh_from_db()
    assert (batch.state, batch.done) == ("done", 6), batch.error


def test_a_batch_runs_inline_when_redis_does_not_answer(client, round_, people, settings,
                                                        django_capture_on_commit_callbacks):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    client.force_login(people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        batch = run_batch(client, round_)
    batch.refresh_from_db()
    assert batch.state == "done"
