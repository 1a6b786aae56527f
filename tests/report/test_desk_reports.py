"""The report page in the Desk: who may open it, its filters, its exports, the links from the round board."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook


def url(code, round_, **params):
    query = "&".join(f"{k}={v}" for k, v in {"round": round_.pk, **params}.items())
    return f"{reverse('kaohe:report', args=[code])}?{query}"


def test_the_meeting_opens_the_ranking_with_its_chart_and_exports(client, recorded, people):
    client.force_login(people["m1"])
    page = client.get(url("ranking", recorded, group="town"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="report-chart-data"' in html and "vendor/echarts.min.js" in html
    assert html.count("<tr>") == 1 + 4  # the header and the four towns
    sheet = load_workbook(io.BytesIO(client.get(url("ranking", recorded, group="town", format="xlsx")).content)).active
    assert [row[2].value for row in sheet.iter_rows(min_row=3)][-2:] == ["城关镇", "东山镇"]
    data = client.get(url("ranking", recorded, format="csv"))
    assert data["Content-Disposition"].endswith('.csv"') and data.content.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))) == 1 + 6


def test_a_bad_filter_is_said_and_the_report_shows_unfiltered(client, recorded, people):
    client.force_login(people["staff"])
    page = client.get(url("ledger_detail", recorded, date_from="2026-99-01"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'id="report-problem"' in page.content.decode() and "2026-99-01" in page.content.decode()
    # an export with a bad filter is the page with the problem, not a file of every row
    export = client.get(url("ledger_detail", recorded, unit="nobody", format="csv"))
    assert export["Content-Type"].startswith("text/html") and 'id="report-problem"' in export.content.decode()


def test_who_may_not_open_a_report_gets_403_or_404(client, recorded, people):
    client.force_login(people["town"])
    assert client.get(url("ranking", recorded)).status_code == 403
    client.force_login(people["m1"])
    assert client.get(url("no_such", recorded)).status_code == 404
    assert client.get(reverse("kaohe:report", args=["ranking"])).status_code == 404  # no round given


def test_the_round_board_links_only_the_reports_the_user_may_run(client, recorded, people):
    client.force_login(people["staff"])
    html = client.get(reverse("kaohe:round", args=[recorded.pk])).content.decode()
    assert 'id="report-link-ledger_detail"' in html and 'id="report-link-progress"' in html
    assert 'id="report-link-ranking"' not in html
    client.force_login(people["m1"])
    assert 'id="report-link-ranking"' in client.get(reverse("kaohe:round", args=[recorded.pk])).content.decode()


def test_the_new_reports_open_in_the_desk_with_their_filters(client, recorded, people):
    client.force_login(people["m1"])
    html = client.get(url("at_risk", recorded, as_of=6)).content.decode()
    assert '<select name="as_of">' in html and '<option value="6" selected>' in html
    assert '"kind": "bar"' in html  # every unit's projected total; a line only for one unit
    html = client.get(url("matrix", recorded, section="caitong")).content.decode()
    assert '"kind": "heatmap"' in html and html.count("<tr>") == 1 + 6 + 1  # header, six units, the totals
    problem = client.get(url("at_risk", recorded, as_of=13), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="report-problem"' in problem and "13" in problem
    html = client.get(url("year_over_year", recorded, compare=recorded.pk)).content.decode()
    assert 'id="report-problem"' in html and '<select name="compare">' in html
    client.force_login(people["staff"])
    assert client.get(url("matrix", recorded)).status_code == 403
