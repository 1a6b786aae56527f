"""360° rating and the self-appraisal in Chromium: a superior rates in the Desk (a note where the group asks),
the ratee appraises themselves, a late peer is refused with a sentence, and the result changes by hand."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaohe.actions.rating_entry import do_assign_raters
from kaohe.actions.rounds import do_open_round
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.units import do_import_units
from kaohe.models import Membership, RaterGroup, Rating, Round, Unit
from kaohe.services.scoring import score
from tests.conftest import PASSWORD
from tests.imports.helpers import csv_bytes

from .helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def appraisal(django_user_model):
    scheme = do_load_scheme("employee", 2026)
    do_import_units(csv_bytes("name,group,user\n张三,kefu,zhangsan\n李四,kefu,lisi\n陈静,kefu,chenjing\n"), "p.csv")
    admin = django_user_model.objects.create_user("hradmin", password=PASSWORD, is_staff=True)
    Membership.objects.create(user=admin, role="admin")
    for login_name in ("zhangsan", "lisi", "chenjing"):
        user = django_user_model.objects.get(username=login_name)
        user.set_password(PASSWORD)
        user.save()
    round_ = do_open_round(scheme, name="2026年度员工考核", acting_user=admin)
    groups = {(g.source.code, g.code): g for g in RaterGroup.objects.filter(source__scheme=scheme)
              .select_related("source")}
    superior = groups[("review360", "superior")]
    superior.note_below = D("80")  # a rating under 80 needs a note
    superior.deadline = date(2099, 12, 31)
    superior.save()
    peer = groups[("review360", "peer")]
    peer.deadline = date(2020, 1, 31)  # long past
    peer.save()
    zhang, users = Unit.objects.get(name="张三"), {u.username: u for u in django_user_model.objects.all()}
    do_assign_raters(round_, [(superior, users["chenjing"], zhang),
                              (groups[("self", "self")], users["zhangsan"], zhang),
                              (peer, users["lisi"], zhang)], acting_user=admin)
    return scheme, round_, zhang


def pick(page, scheme, code, value):
    rule = scheme.rules.get(code=code)
    page.select_option(f"#rating-{rule.pk}", value)
    return rule


def test_ratings_and_self_appraisal_in_the_desk_change_the_result(new_page, appraisal):
    scheme, round_, zhang = appraisal
    assert score(scheme).unit("张三").items == {}  # nothing rated yet: no item has a score

    boss = login(new_page, "chenjing")
    boss.goto("/my/ratings/")
    boss.click("#ratings-to-give-link")
    expect(boss.locator("#ratings-to-give tbody tr")).to_have_count(1)
    boss.locator("#ratings-to-give a").first.click()
    expect(boss.locator("#rate-table tbody tr")).to_have_count(4)  # 360° rates 3.1, 3.2, 3.3, 4.1
    pick(boss, scheme, "3.1", "A")
    boss.click("#rate-draft")
    expect(boss.locator(".msg.success")).to_be_visible()
    assert not Rating.objects.exists()  # a draft counts for nothing
    expect(boss.locator(f"#rating-{scheme.rules.get(code='3.1').pk}")).to_have_value("A")  # and comes back
    pick(boss, scheme, "3.2", "B")
    pick(boss, scheme, "3.3", "A")
    low = pick(boss, scheme, "4.1", "C")
    boss.click("#rate-submit")
    expect(boss.locator(f"#rating-error-{low.pk}")).not_to_be_empty()  # C (70) < 80 needs a note
    assert not Rating.objects.exists()
    boss.fill(f"#note-{low.pk}", "创新想法偏少")
    boss.click("#rate-submit")
    expect(boss.locator("#nothing-to-rate")).to_be_visible()
    assert "4" in boss.dialogs[-1]  # the confirmation said how many ratings it submits
    assert Rating.objects.filter(rater="chenjing", source__code="review360", rater_group="superior").count() == 4

    me = login(new_page, "zhangsan")
    me.goto("/my/ratings/to-give/")
    me.locator("#ratings-to-give a").first.click()
    expect(me.locator("#rate-table tbody tr")).to_have_count(11)  # the self-appraisal rates every criterion
    for rule in scheme.rules.filter(kind="rating"):
        me.select_option(f"#rating-{rule.pk}", "B")
    me.click("#rate-submit")
    expect(me.locator("#nothing-to-rate")).to_be_visible()

    # By hand: criteria rated by the self-appraisal only (self group, 85; the superior group unrated and
    # renormalised) score 85. 360° (25) with the superior alone and self (15):
    # 3.1 = 3.3 = (25×95 + 15×85)/40 = 91.25; 3.2 = 85; 4.1 = (25×70 + 15×85)/40 = 75.625 → 75.63.
    # 3 = (40×91.25 + 35×85 + 25×91.25)/100 = 89.0625 → 89.06; 4 = (50×75.63 + 50×85)/100 = 80.315 → 80.32.
    # total = (25×85 + 20×85 + 20×89.06 + 15×80.32 + 20×85)/100 = 85.11
    result = score(scheme).unit("张三")
    assert (result.items["3.1"].score, result.items["4.1"].score) == (D("91.25"), D("75.63"))
    assert (result.items["3"].score, result.items["4"].score) == (D("89.06"), D("80.32"))
    assert result.total == D("85.11")
    admin = login(new_page, "hradmin")
    admin.goto(f"/rounds/{round_.pk}/units/{zhang.pk}/")
    expect(admin.locator("#total")).to_have_text("85.11")
    admin.goto(f"/rounds/{round_.pk}/ratings/progress/")
    rows = admin.locator("#rating-progress tbody tr")
    expect(rows).to_have_count(3)  # 360° superior, 360° peer, self: counts only
    expect(rows.nth(0)).to_contain_text("直接上级")
    assert [rows.nth(i).locator("td").nth(5).inner_text() for i in range(3)] == ["1", "0", "1"]

    # anonymity: once published, the ratee sees each rater group's count and mean, never who or their note
    round_.sheets.update(state="signed")
    Round.objects.filter(pk=round_.pk).update(published_at=timezone.now(), state="published")
    me.goto(f"/rounds/{round_.pk}/units/{zhang.pk}/")
    expect(me.locator("#total")).to_have_text("85.11")
    body = me.locator("main").inner_text()
    assert "陈静" not in body and "chenjing" not in body and "创新想法偏少" not in body
    Round.objects.filter(pk=round_.pk).update(published_at=None, state="open")

    # the peer's deadline has passed: refused with a sentence, nothing written
    peer = login(new_page, "lisi")
    peer.goto("/my/ratings/to-give/")
    peer.locator("#ratings-to-give a").first.click()
    pick(peer, scheme, "3.1", "B")
    peer.click("#rate-draft")
    expect(peer.locator(".msg.error")).to_contain_text("2020-01-31")
    assert not Rating.objects.filter(rater="lisi").exists()


def test_someone_elses_assignment_is_not_found(new_page, appraisal):
    _scheme, _round, zhang = appraisal
    assignment = zhang.rating_assignments.get(group__code="superior")
    page = login(new_page, "lisi")
    response = page.goto(f"/my/ratings/to-give/{assignment.pk}/")
    assert response.status == 404
