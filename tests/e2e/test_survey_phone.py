"""A respondent answers from the QR code of a printed invitation, on a phone-sized Chromium without script:
one page that fits the screen, large targets, a missing answer named, the answers scored by hand, and the same
link refused afterwards. Leaves docs/screenshots/survey-phone.png."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kaohe.models import Response, SurveyScore
from kaohe.printing.invitations import invitation_document
from kaohe.printing.render import current_format, print_documents
from kaohe.services.surveys import invitation_groups
from tests.printing.helpers import qr_codes
from tests.surveys.fixtures import *  # noqa: F403  (the survey, its questionnaire and invitations)

pytestmark = pytest.mark.django_db(transaction=True)
SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "survey-phone.png"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN", "java_script_enabled": False,
         "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI "
                       "Language/zh_CN"}


def test_a_respondent_answers_on_a_phone_from_the_printed_qr_code(browser, live_server, survey, admin, unit_ids):
    from kaohe.actions.printing import do_install_shipped_formats
    from kaohe.actions.surveys import do_invite

    do_install_shipped_formats()  # the migration's rows do not survive an earlier transactional test
    issued = do_invite(survey, [("beneficiaries", unit_ids["张三"], 1)], acting_user=admin)
    document = invitation_document(survey, issued, invitation_groups(survey.source), live_server.url)
    pdf = print_documents(current_format("survey_invitation"), [document]).pdf
    [url] = qr_codes(pdf)
    assert url == f"{live_server.url}/s/{issued[0].token}/"

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    expect(page.locator("h1")).to_have_text("客户满意度问卷")
    expect(page.locator(".about")).to_have_text("评价对象：张三")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone: no sideways scrolling
    heights = [box["height"] for box in (s.bounding_box() for s in page.locator(".choice span").all())]
    assert len(heights) == 5 + 2 + 3 and min(heights) >= 44  # every target at least 44 px tall
    assert page.locator("#survey-submit").bounding_box()["height"] >= 48

    page.locator("#question-1 .choice", has_text="4").tap()
    page.locator("#question-3 .choice", has_text="一般").tap()
    page.fill("#question-4 textarea", "希望延长办理时间")
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT), full_page=True)
    page.locator("#survey-submit").tap()  # question 2 left out
    expect(page.locator("#question-2 .err")).to_have_text("请回答此问题")
    assert Response.objects.count() == 0
    expect(page.locator("#question-1 input[value='4']")).to_be_checked()  # what was ticked is kept

    page.locator("#question-2 .choice", has_text="是").tap()
    page.locator("#survey-submit").tap()
    expect(page.locator("#survey-notice")).to_have_text("谢谢！您的回答已收到。")

    response = Response.objects.get()
    assert (response.unit.name, response.group, response.via) == ("张三", "beneficiaries", "web")
    # 2.1: (2 × 4 × 20 + 1 × 100) / 3 = 260 / 3 = 86.67; 1.1: 一般 = 60.00
    scores = dict(SurveyScore.objects.values_list("rule__code", "value"))
    assert {code: str(value) for code, value in scores.items()} == {"2.1": "86.67", "1.1": "60.00"}
    assert response.answers.get(question__order=4).text == "希望延长办理时间"

    page.goto(url)  # the same link again
    expect(page.locator("#survey-notice")).to_have_text("该邀请已经填写过问卷，谢谢您。")
    context.close()
