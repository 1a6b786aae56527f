"""The Desk's import pages: a file is kept, previewed with every problem at its row and column, and written all or
nothing by the command line's own action on confirmation."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kaohe.models import AuditEvent, ImportUpload, LedgerEntry, Unit

pytestmark = pytest.mark.django_db
HEADER = "unit,rule,quantity,points,date,note\n"


def upload(client, kind, name, data: bytes, **form):
    return client.post(f"/imports/{kind}/", {"file": SimpleUploadedFile(name, data), **form})


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    return response["Location"], page.content.decode()


def marked_cells(page: str) -> list[tuple[str, str]]:
    """(line, column) of every cell the preview marks as wrong."""
    found = []
    for line, row in re.findall(r'<tr class="bad-row" data-line="(\d+)">(.*?)</tr>', page, re.S):
        found += [(line, column) for column in re.findall(r'class="l bad-cell" data-column="(\w+)"', row)]
    return found


def test_a_file_with_one_bad_row_writes_nothing_and_marks_the_row_then_a_good_file_is_written(
        client, town, people, media, django_capture_on_commit_callbacks):
    client.force_login(people["staff"])  # every section but 安全: 8.1.a (−0.5 each), 8.4.a (discretionary −4 … 0)
    bad = (HEADER + "城关镇,8.1.a,1,,2026-03-01,迟报\n"
           "东山镇,8.4.a,1,-9,2026-03-02,台帐不全\n"  # line 3: outside 8.4.a's range
           "西河镇,8.1.a,2,,2026-03-03,漏报\n").encode()
    where, page = preview_of(client, upload(client, "ledger", "bad.csv", bad, scheme=town.code))
    assert marked_cells(page) == [("3", "points")]
    assert "-4 … 0" in page and 'id="confirm"' not in page
    token = where.rstrip("/").split("/")[-1]
    assert client.post(f"/imports/files/{token}/confirm/").status_code == 409
    assert LedgerEntry.objects.count() == 0

    good = bad.replace(b",-9,", b",-3,")
    where, page = preview_of(client, upload(client, "ledger", "good.csv", good, scheme=town.code))
    assert marked_cells(page) == [] and 'id="confirm"' in page
    assert LedgerEntry.objects.count() == 0  # the preview wrote nothing
    token = where.rstrip("/").split("/")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/files/{token}/confirm/")
    kept = media / ImportUpload.objects.get(token=token).path
    assert not kept.exists()  # in the ledger now: the uploaded copy is removed
    assert 'id="imported"' in client.get(where).content.decode()
    written = LedgerEntry.objects.select_related("unit", "rule")
    rows = {(e.unit.name, e.rule.code, e.quantity, e.points) for e in written}
    assert rows == {("城关镇", "8.1.a", 1, None), ("东山镇", "8.4.a", 1, -3), ("西河镇", "8.1.a", 2, None)}
    assert AuditEvent.objects.filter(action="ledger.import", user=people["staff"]).count() == 1
    again = client.post(f"/imports/files/{token}/confirm/")  # a second confirmation writes nothing more
    assert again.status_code == 302 and LedgerEntry.objects.count() == 3


def test_another_sections_rows_are_refused_at_their_row(client, town, people):
    client.force_login(people["staff"])  # not of 安全: may not record 7.a
    data = (HEADER + "城关镇,8.1.a,1,,2026-03-01,迟报\n城关镇,7.a,1,-2,2026-03-01,台帐\n").encode()
    where, page = preview_of(client, upload(client, "ledger", "mixed.csv", data, scheme=town.code))
    assert marked_cells(page) == [("3", "rule")] and 'id="confirm"' not in page
    token = where.rstrip("/").split("/")[-1]
    assert client.post(f"/imports/files/{token}/confirm/").status_code == 409
    assert LedgerEntry.objects.count() == 0


def test_confirmation_checks_again_what_changed_since_the_preview(client, town, people):
    client.force_login(people["staff"])
    data = (HEADER + "城关镇,8.1.a,1,,2026-03-01,迟报\n").encode()
    where, page = preview_of(client, upload(client, "ledger", "one.csv", data, scheme=town.code))
    assert 'id="confirm"' in page
    Unit.objects.filter(name="城关镇").update(active=False)
    response = client.post(where + "confirm/")
    assert response.status_code == 409 and ("2", "unit") in marked_cells(response.content.decode())
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_units_in_any_encoding_the_command_line_reads(client, people, encoding):
    client.force_login(people["collector"])
    data = "name,group\n北岭镇,town\n南山镇,town\n".encode(encoding)
    where, page = preview_of(client, upload(client, "units", f"units-{encoding}.csv", data))
    assert "北岭镇" in page and 'id="confirm"' in page
    client.post(where + "confirm/")
    assert set(Unit.objects.filter(name__in=["北岭镇", "南山镇"]).values_list("group__code", flat=True)) == {"town"}


def test_an_upload_is_its_uploaders_alone_and_imports_are_by_role(client, town, people):
    client.force_login(people["staff"])
    where, _page = preview_of(client, upload(client, "ledger", "one.csv",
                                             (HEADER + "城关镇,8.1.a,1,,2026-03-01,迟报\n").encode(), scheme=town.code))
    stored = ImportUpload.objects.get()
    assert stored.path.startswith("import-uploads/") and "one" not in stored.path  # a random name, not the user's
    client.force_login(people["staff2"])
    assert client.get(where).status_code == 404
    assert client.post(where + "confirm/").status_code == 404
    assert client.get("/imports/units/").status_code == 403  # units are imported by the collector or an admin
    client.force_login(people["town"])
    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/ledger/").status_code == 403
    assert LedgerEntry.objects.count() == 0


def test_the_ledger_template_has_the_schemes_units_and_the_readers_rules_as_lists(client, town, units, people):
    client.force_login(people["staff2"])  # 安全 only, whose one rule is 7.a (discretionary, −8 … 0)
    response = client.get(f"/imports/ledger/template.xlsx?scheme={town.code}")
    book = load_workbook(io.BytesIO(response.content))
    sheet, lists = book["ledger"], book["lists"]
    assert [c.value for c in sheet[1]] == ["unit", "rule", "date", "quantity", "points", "note"]
    assert sheet.freeze_panes == "A2" and sheet.max_row == 2 and lists.sheet_state == "hidden"
    by_column = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(by_column) == {"A", "B"}  # unit and rule
    columns = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)
                                        if lists.cell(r, c).value] for c in range(1, lists.max_column + 1)}
    # every unit of a group the town scheme assesses (the six of the fixture), and only the rules of 安全
    assert sorted(columns["unit"]) == sorted(units)
    assert columns["rule"] == ["7.a"]
    assert by_column["A"] == f"=lists!$A$2:$A${len(units) + 1}" and by_column["B"] == "=lists!$B$2:$B$2"
    example = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert example["unit"] in units and example["rule"] == "7.a" and example["points"] == "0" and example["note"]


def test_a_template_uploaded_back_is_read(client, town, people):
    client.force_login(people["admin"])
    template = client.get(f"/imports/ledger/template.xlsx?scheme={town.code}").content
    _where, page = preview_of(client, upload(client, "ledger", "template.xlsx", template, scheme=town.code))
    assert marked_cells(page) == [] and 'id="confirm"' in page  # the example row itself is a valid row


def test_a_large_file_is_written_by_a_job_with_a_progress_page(client, town, people, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    monkeypatch.setattr("kaohe.actions.uploads.BACKGROUND_ROWS", 2)
    client.force_login(people["staff"])
    data = (HEADER + "".join(f"城关镇,8.1.a,1,,2026-03-{day:02d},迟报\n" for day in range(1, 6))).encode()
    where, _page = preview_of(client, upload(client, "ledger", "five.csv", data, scheme=town.code))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(where + "confirm/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job_page = client.get(response["Location"]).content.decode()
    assert 'data-state="done"' in job_page and "5 / 5" in job_page
    assert LedgerEntry.objects.count() == 5 and ImportUpload.objects.get().imported_at is not None


def test_a_large_file_whose_rows_went_wrong_after_the_preview_fails_its_job_naming_them(
        client, town, people, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("kaohe.actions.uploads.BACKGROUND_ROWS", 1)
    client.force_login(people["staff"])
    assert 'id="ledger-import"' in client.get(f"/ledger/?scheme={town.code}").content.decode()
    data = (HEADER + "城关镇,8.1.a,1,,2026-03-01,迟报\n东山镇,8.1.a,1,,2026-03-01,迟报\n").encode()
    where, page = preview_of(client, upload(client, "ledger", "two.csv", data, scheme=town.code))
    assert 'id="confirm"' in page
    Unit.objects.filter(name="东山镇").update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(where + "confirm/")
    job_page = client.get(response["Location"]).content.decode()
    assert 'data-state="failed"' in job_page and 'id="job-errors"' in job_page
    assert re.search(r"<tr><td>3</td><td class=\"l\"><code>unit</code></td><td class=\"l\">东山镇</td>", job_page)
    assert LedgerEntry.objects.count() == 0 and ImportUpload.objects.get().imported_at is None
