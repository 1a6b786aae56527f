"""MBO in Chromium: owners report monthly progress (actual, evidence, comment) from their landing page, the
direct superior reviews each month (comment, rating, accepted or not), and the year-end roll-up counts the
accepted months only, as computed by hand."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from kaohe.actions.appraisal import do_import_objectives
from kaohe.actions.schemes import do_load_scheme
from kaohe.models import Measurement, Membership, ProgressReport, ProgressReview, Unit
from kaohe.services.scoring import score
from tests.conftest import PASSWORD
from tests.imports.helpers import csv_bytes

from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)

TREE = ("code,name,weight,owner,target,kind,cap,rule\n1,公司目标,100,公司经营班子,,,,\n"
        "1.1,销售额,70,销售部,8000,capped,120,sales\n1.2,能耗,30,王强,0.8,lower_better,120,energy\n")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def mbo(django_user_model):
    scheme = do_load_scheme("mbo", 2026)
    do_import_objectives(csv_bytes(TREE), "tree.csv", scheme)
    for login_name, unit in (("boss", "公司经营班子"), ("xiaoshou", "销售部"), ("wangqiang", "王强")):
        user = django_user_model.objects.create_user(login_name, password=PASSWORD)
        Membership.objects.create(user=user, role="unit", unit=Unit.objects.get(name=unit))
    return scheme


def report(page, rule, month, actual, comment, evidence=False):
    page.fill(f"#month-{rule.pk}", month)
    page.fill(f"#actual-{rule.pk}", actual)
    page.fill(f"#comment-{rule.pk}", comment)
    if evidence:
        page.set_input_files(f"#evidence-{rule.pk}", files=[{"name": "销售台账.png", "mimeType": "image/png",
                                                             "buffer": PNG}])
    page.click(f"#report-{rule.pk}")
    expect(page.locator(".msg")).to_be_visible()


def review(page, report_, accepted, rating, comment):
    page.select_option(f"#accepted-{report_.pk}", "yes" if accepted else "no")
    page.fill(f"#review-rating-{report_.pk}", rating)
    page.fill(f"#review-comment-{report_.pk}", comment)
    page.click(f"#review-{report_.pk}")
    expect(page.locator(".msg.success")).to_be_visible()


def test_monthly_progress_and_review_feed_the_year_end_roll_up(new_page, mbo):
    sales, energy = mbo.rules.get(code="sales"), mbo.rules.get(code="energy")
    owner = login(new_page, "xiaoshou")
    owner.click("#link-my-objectives")  # from the landing page
    expect(owner.locator(f"#task-{energy.pk}")).to_have_count(0)  # 王强's task is not 销售部's
    report(owner, sales, "2026-05", "3000", "五月累计", evidence=True)
    report(owner, sales, "2026-06", "6000", "六月累计")
    expect(owner.locator(f"#task-{sales.pk} tbody tr")).to_have_count(2)
    may = ProgressReport.objects.get(rule=sales, month="2026-05-31")
    assert may.evidence.name and may.comment == "五月累计"
    assert not Measurement.objects.exists()  # nothing counts before the superior's review

    peer = login(new_page, "wangqiang")
    peer.click("#link-my-objectives")
    report(peer, energy, "2026-05", "1", "五月能耗")
    peer.goto("/my/reviews/")
    expect(peer.locator("#progress-reviews")).not_to_contain_text("销售额")  # not 销售部's superior

    boss = login(new_page, "boss")
    boss.click("#link-progress-reviews")
    expect(boss.locator("#progress-reviews tbody tr")).to_have_count(3)
    june = ProgressReport.objects.get(rule=sales, month="2026-06-30")
    review(boss, may, True, "90", "与台账一致")
    review(boss, june, False, "60", "六月数字未核实")
    review(boss, ProgressReport.objects.get(rule=energy), True, "80", "属实")
    assert ProgressReview.objects.count() == 3
    assert ProgressReview.objects.get(report=june).accepted is False

    # By hand, as of December: sales counts May's accepted 3000 (June was not accepted):
    # 100 × 3000 / 8000 = 37.50; energy (lower is better) 100 × 0.8 / 1 = 80.00;
    # 公司目标 = (70 × 37.50 + 30 × 80.00) / 100 = 50.25. Had June counted, it would be 76.50.
    result = score(mbo)
    assert result.unit("销售部").total == D("37.50")
    assert result.unit("王强").total == D("80.00")
    assert result.unit("公司经营班子").total == D("50.25")

    # a reviewed month is final; the owner sees the review
    owner.goto("/my/objectives/")
    expect(owner.locator(f"#task-{sales.pk}")).to_contain_text("与台账一致")
    report(owner, sales, "2026-05", "9000", "改数")
    expect(owner.locator(".msg.error")).to_contain_text("2026-05")
    may.refresh_from_db()
    assert may.actual == D("3000")
