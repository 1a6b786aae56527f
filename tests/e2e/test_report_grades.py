"""appraisal_grades in Chromium: the chart draws one bar per department and grade with a red mark at the
quota's head count, and the PDF export downloads with the report's rows."""

import pytest
from playwright.sync_api import expect

from tests.printing.helpers import pdf_text, squeeze
from tests.report.test_appraisal_grades import appraised  # noqa: F401  (five people of 客户服务部, rated on 1.1)

from ..conftest import PASSWORD
from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_grades_against_quota_drawn_and_printed(new_page, appraised, tmp_path):  # noqa: F811
    round_, users = appraised
    users["meet"].set_password(PASSWORD)
    users["meet"].save()
    page = login(new_page, "meet")
    page.goto(f"/rounds/{round_.pk}/")
    page.click("#report-link-appraisal_grades")
    # four grade rows, one rater-group row per source that rated (quarterly, self), one outlier (张三's 70)
    expect(page.locator("#report-table tbody tr")).to_have_count(4 + 2 + 1)
    expect(page.locator("#report-chart svg")).to_be_visible()
    drawn = page.evaluate("""() => {
        const option = echarts.getInstanceByDom(document.getElementById('report-chart')).getOption();
        return {bars: option.series[0].data.map(d => d.value), limits: option.series[1].data,
                categories: option.xAxis[0].data};
    }""")
    # 优秀 1 (李四), 良好 2 (张三 moved down by the quota, 陈静), 合格 1, 不合格 1; 优秀's quota: ⌊20 % × 5⌋ = 1
    assert drawn["bars"] == [1, 2, 1, 1]
    assert drawn["limits"] == [1, "-", "-", "-"]
    assert drawn["categories"][0] == "客户服务部 · 优秀"
    with page.expect_download() as download:
        page.click("#export-pdf")
    target = tmp_path / "grades.pdf"
    download.value.save_as(target)
    text = squeeze(pdf_text(target.read_bytes()))
    assert "考核等次与评价人分析" in text and "因比例限制降档：张三" in text
    assert "匿名" in text and "r4" not in text  # the meeting reads no rater's name
