"""Issue 11, "Broken": one Chromium test per item, on the shipped demo data. (The MBO and KPI sheet pages and
"sign all" are walked in test_demo_rounds.py, with every other scheme's route.)"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from kaohe.actions.rounds import do_collect_round
from kaohe.actions.transitions import do_transition
from kaohe.models import Unit
from kaohe.workflow.states import Step

from .demo import load_demo_year, publish_by_actions
from .test_demo_rounds import login

pytestmark = pytest.mark.django_db(transaction=True)


def signed(round_):
    """Every sheet submitted and signed through the write layer, ready to collect."""
    staff, head = get_user_model().objects.get(username="jingban"), get_user_model().objects.get(username="fenguan")
    for sheet in round_.sheets.all():
        do_transition(sheet, Step.SUBMIT, acting_user=staff)
        do_transition(sheet, Step.SIGN, acting_user=head)
    return round_


def test_a_landing_page_lists_only_rounds_the_users_unit_is_in(new_page):
    rounds = load_demo_year("town", "employee", "mbo")
    for round_ in rounds.values():
        publish_by_actions(round_)
    expected = {"chengguan": {rounds["town"].pk}, "zhangsan": {rounds["employee"].pk},
                "zhangwei": {rounds["employee"].pk, rounds["mbo"].pk}}  # 张伟 is an employee and an MBO owner
    for username, round_ids in expected.items():
        page = login(new_page, username)
        links = page.locator("a[id^=result-]")
        ids = {int(links.nth(i).get_attribute("id").split("-")[1]) for i in range(links.count())}
        assert ids == round_ids, username
        for i in range(links.count()):
            response = page.request.get(links.nth(i).get_attribute("href"))
            assert response.status == 200, (username, links.nth(i).get_attribute("href"))


def _cells_per_row(page) -> list[list[int]]:
    """Per ranking table: the header's cell count, then each body row's."""
    return page.eval_on_selector_all("table.ranking", """tables => tables.map(t =>
        [t.tHead.rows[0].cells.length, ...Array.from(t.tBodies[0].rows, r => r.cells.length)])""")


def test_the_mbo_and_kpi_rankings_have_a_cell_under_every_header(new_page):
    rounds = load_demo_year("mbo", "dept_kpi")
    for round_ in rounds.values():
        publish_by_actions(round_)
    page = login(new_page, "zhidao")
    for family, round_ in rounds.items():
        page.goto(f"/rounds/{round_.pk}/ranking/")
        tables = _cells_per_row(page)
        assert tables, family
        for widths in tables:
            assert len(widths) > 1 and set(widths) == {widths[0]}, (family, widths)
    # department KPIs: the sales group is scored on its sales category, shown under its own header
    page.goto(f"/rounds/{rounds['dept_kpi'].pk}/ranking/")
    expect(page.locator("table.ranking").first.locator("thead th[title]")).to_have_count(1)


def test_a_weighted_grid_shows_no_none_and_sums_no_percentages(new_page):
    round_ = load_demo_year("employee")["employee"]
    page = login(new_page, "jingban")
    page.goto(f"/rounds/{round_.pk}/sections/renli/")
    expect(page.locator("table tbody tr")).to_have_count(round_.sheets.count())
    expect(page.locator("main")).not_to_contain_text("None")
    expect(page.locator("[id^=total-]")).to_have_count(0)  # no section total of weighted scores
    expect(page.locator("thead th").nth(2)).to_contain_text("%")  # the first criterion's weight
    sheet = round_.sheets.order_by("id").first()
    page.goto(f"/sheets/{sheet.pk}/")
    expect(page.locator("main")).not_to_contain_text("None")


def test_a_weighted_scheme_opens_in_the_weighted_editor(new_page):
    load_demo_year("employee")
    page = login(new_page, "admin")
    page.goto("/schemes/")
    page.click("a[href='/schemes/employee-2026/']")
    expect(page.locator("#weighted-tree")).to_be_visible()
    expect(page.locator("input[name$='-base']")).to_have_count(0)  # not the points editor
    expect(page.locator("#top-sum")).to_have_text("100%")
    first = page.locator("#weighted-tree tbody tr").first
    first.locator("input[name$='-name']").fill("服务质量（已改名）")
    first.locator("button").click()
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator("#weighted-tree tbody tr").first.locator("input[name$='-name']")).to_have_value(
        "服务质量（已改名）")


def test_after_approving_the_approve_button_is_gone(new_page):
    round_ = signed(load_demo_year("dept_kpi")["dept_kpi"])
    do_collect_round(round_, acting_user=get_user_model().objects.get(username="zhidao"))
    first = login(new_page, "huiyi1")
    first.goto(f"/rounds/{round_.pk}/")
    first.fill("textarea[name=resolution]", "同意")
    first.fill("input[name=meeting_date]", "2027-01-08")
    first.click("#round-decide")
    expect(first.locator(".msg.success")).to_be_visible()
    expect(first.locator("#round-decide")).to_have_count(0)
    second = login(new_page, "huiyi2")
    second.goto(f"/rounds/{round_.pk}/")
    expect(second.locator("#round-decide")).to_have_count(1)  # the second of two still approves


def _every_link_opens(page) -> None:
    for href in page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))"):
        assert page.request.get(href).status < 400, href


def test_staff_and_heads_are_shown_no_link_they_cannot_follow(new_page):
    round_ = load_demo_year("town")["town"]
    for username in ("jingban", "fenguan"):
        page = login(new_page, username)
        page.goto("/rounds/")
        expect(page.locator("main a[href$='/ranking/']")).to_have_count(0)  # not before publication
        _every_link_opens(page)
        page.goto(f"/rounds/{round_.pk}/")
        expect(page.locator("#ranking-link")).to_have_count(0)
        _every_link_opens(page)
        page.goto(f"/rounds/{round_.pk}/sections/caitong/")
        _every_link_opens(page)
    head = login(new_page, "fenguan")
    head.goto(f"/rounds/{round_.pk}/sections/caitong/")
    expect(head.locator("a[href^='/ledger/new/']")).to_have_count(0)  # a head records no ledger row


def test_the_observer_sees_the_published_ranking_only(new_page):
    round_ = load_demo_year("dept_kpi")["dept_kpi"]
    publish_by_actions(round_)
    page = login(new_page, "guancha")
    page.goto(f"/rounds/{round_.pk}/")
    expect(page.locator("#unit-results")).to_have_count(0)
    page.click("#ranking-link")
    expect(page.locator("main")).to_contain_text("销售部")
    unit = Unit.objects.get(name="销售部")
    assert page.request.get(f"/rounds/{round_.pk}/units/{unit.pk}/").status == 403


def test_a_town_reads_the_rows_behind_its_own_result_and_no_other_towns(new_page):
    round_ = load_demo_year("town")["town"]
    publish_by_actions(round_)
    page = login(new_page, "chengguan")
    unit = Unit.objects.get(name="城关镇")
    page.click(f"#ledger-{round_.pk}-{unit.pk}")
    rows = page.locator("table tr:has(td)")
    assert rows.count() > 5
    assert set(rows.locator("td:nth-child(3)").all_inner_texts()) == {"城关镇"}
    expect(page.locator("form[action$='/reverse/']")).to_have_count(0)  # read-only
    page.goto("/ledger/?scheme=town-2026&unit=东山镇")
    expect(page.locator("main")).not_to_contain_text("东山镇")


def test_the_ledger_form_lists_only_the_schemes_units(new_page):
    load_demo_year()
    page = login(new_page, "jingban")
    page.goto("/ledger/new/?scheme=town-2026")
    options = set(page.locator("#unit option").all_inner_texts()) - {""}
    town_units = set(Unit.objects.filter(group__code__in=["town", "entity", "direct"]).values_list("name", flat=True))
    assert options == town_units and len(options) == 17


def test_the_collector_reaches_each_units_result_from_the_round(new_page):
    round_ = load_demo_year("employee")["employee"]
    page = login(new_page, "zhidao")
    page.goto(f"/rounds/{round_.pk}/")
    links = page.locator("#unit-results a")
    expect(links).to_have_count(round_.sheets.order_by().values("unit").distinct().count())
    page.click(f"#unit-result-{Unit.objects.get(name='郑浩').pk}")
    expect(page.locator("h1")).to_contain_text("郑浩")
