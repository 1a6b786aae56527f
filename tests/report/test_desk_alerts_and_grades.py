"""The consistency and appraisal_grades reports in the Desk: links to where to look, and the round board offering
each report only for the schemes it is about."""

from django.urls import reverse
from django.utils.http import urlencode

from tests.report.test_appraisal_grades import appraised  # noqa: F401  (five people rated on 1.1)


def test_the_collector_sees_the_alerts_with_a_link_to_the_rows(client, recorded, people):
    client.force_login(people["collector"])
    page = client.get(f"{reverse('kaohe:report', args=['consistency'])}?round={recorded.pk}&section=caitong",
                      HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    # 东山镇's 8.4.a (−3) has no evidence; four units have no 财统科 row at all
    ledger = f"/ledger/?{urlencode({'scheme': recorded.scheme.code, 'unit': '东山镇', 'rule': '8.4.a'})}"
    assert f'<a href="{ledger.replace("&", "&amp;")}">' in html
    assert html.count(f'<a href="/rounds/{recorded.pk}/sections/caitong/">') == 4
    assert "5 alerts" in html


def test_the_board_links_consistency_for_a_points_round_and_appraisal_grades_for_a_weighted_one(
        client, recorded, people, appraised):  # noqa: F811
    client.force_login(people["collector"])
    html = client.get(reverse("kaohe:round", args=[recorded.pk])).content.decode()
    assert 'id="report-link-consistency"' in html and 'id="report-link-appraisal_grades"' not in html
    round_, users = appraised
    client.force_login(users["meet"])
    html = client.get(reverse("kaohe:round", args=[round_.pk])).content.decode()
    assert 'id="report-link-appraisal_grades"' in html and 'id="report-link-consistency"' not in html
