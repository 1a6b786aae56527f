"""Each shipped format printed to PDF and read back: pdftotext for the words, zbarimg for the QR code,
and the verification page the QR code names, before and after the sheet behind it changed."""

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from kaohe.actions.appraisal import do_import_ratings
from kaohe.actions.ledger import do_record_entry
from kaohe.actions.printing import do_print
from kaohe.actions.rounds import do_collect_round, do_open_round, do_send_back_sheet
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.units import do_import_units
from kaohe.models import PrintRecord, Signature
from kaohe.printing.context import role_name
from kaohe.printing.render import current_format
from tests.conftest import fresh
from tests.imports.helpers import csv_bytes

from .helpers import decide, name_people, pdf_text, qr_codes, record_rows, sheet, sign_all, squeeze

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


@pytest.fixture
def rows(round_, people):
    name_people(people)
    record_rows(round_.scheme, people)
    return round_


def cli_totals(scheme_code: str) -> dict[str, str]:
    """Every unit's total exactly as `manage.py score --format json` writes it."""
    out = io.StringIO()
    call_command("score", "--scheme", scheme_code, "--format", "json", stdout=out)
    raw = json.loads(out.getvalue(), parse_float=str, parse_int=str)
    return {u["unit"]: u["total"] for u in raw["units"]}


def documents(text: str, title: str, names) -> dict[str, str]:
    """The squeezed text of each unit's document: from "<unit><title>" to the next document's start."""
    flat = squeeze(text)
    starts = sorted((flat.index(f"{name}{title}"), name) for name in names if f"{name}{title}" in flat)
    ends = [n for n, _name in starts[1:]] + [len(flat)]
    return {name: flat[start:end] for (start, name), end in zip(starts, ends, strict=True)}


def test_scorecards_of_every_unit_carry_totals_signer_code_and_restart_page_numbers(rows, people):
    decide(rows, people)
    printed = do_print(current_format("scorecard"), rows, acting_user=None, base=BASE)
    text = pdf_text(printed.pdf)
    totals = cli_totals(rows.scheme.code)
    cards = documents(text, "考核得分表", totals)
    assert set(cards) == set(totals) == {"城关镇", "东山镇", "西河镇", "南湖镇", "开发区", "县机械厂"}
    for unit, total in totals.items():
        assert f"总分{total}" in cards[unit], unit  # 城关镇 94.5, 东山镇 88.5 … as the CLI gives them
    assert totals["城关镇"] == "94.5" and totals["东山镇"] == "88.5"  # by hand: 100 - 8 (1.2) - 1 - 1.5 + 5
    assert "2026-03-01·经济运行科·财统月报迟报两次" in cards["城关镇"] or "财统月报迟报两次" in cards["城关镇"]
    assert "一票否决" in cards["西河镇"] and "veto.accident" in cards["西河镇"]
    assert "二等奖" in cards["城关镇"] and "一等奖" in cards["南湖镇"]
    for _document, context in printed.stamped:
        assert context["doc"]["code"] in squeeze(text)
        assert context["doc"]["draft"] is False
    assert squeeze(text).count("审定签署:孙局长") == len(totals)  # the meeting member who decided last
    assert "DRAFT" not in text
    # one document after another, each numbered from 1: a "1 / n" footer per unit
    footers = [page.strip().splitlines()[-1].replace(" ", "") for page in text.split("\f") if page.strip()]
    assert len(footers) == len(PdfReader(io.BytesIO(printed.pdf)).pages)
    assert sum(f.startswith("1/") for f in footers) == len(totals)
    for footer in footers:  # k/n with every document's own n
        k, n = map(int, footer.split("/"))
        assert 1 <= k <= n
    version = current_format("scorecard")
    assert PrintRecord.objects.filter(format=version, draft=False).count() == len(totals)


def test_an_undecided_round_prints_drafts_with_a_visible_mark(rows):
    printed = do_print(current_format("scorecard"), rows, unit="城关镇", acting_user=None, base=BASE)
    text = pdf_text(printed.pdf)
    assert "草稿/DRAFT" in squeeze(text)
    assert printed.stamped[0][1]["doc"]["draft"] is True
    # a draft rests on no signature: its QR code points at the unit's page in the Desk
    unit_id = rows.sheets.filter(unit__name="城关镇").values_list("unit_id", flat=True).first()
    assert qr_codes(printed.pdf) == [f"{BASE}/rounds/{rows.pk}/units/{unit_id}/"]


def test_the_announcement_is_an_official_document_with_the_ranking_and_vetoed_units_apart(rows, people):
    decide(rows, people, publish=True)
    printed = do_print(current_format("announcement"), rows, acting_user=None, base=BASE)
    text = pdf_text(printed.pdf)
    flat = squeeze(text)
    assert "县企业服务局文件" in flat and f"X企服〔2026〕{rows.pk}号" in flat
    assert "考核结果的通报" in flat
    totals = cli_totals(rows.scheme.code)
    for unit, total in totals.items():
        assert re.search(f"{unit}{re.escape(total)}", flat) or re.search(f"\\d{unit}{re.escape(total)}", flat), unit
    assert "南湖镇96一等奖" in flat and "城关镇94.5二等奖" in flat and "东山镇88.5三等奖" in flat
    vetoed = flat.index("实行一票否决")
    assert flat.index("西河镇") > vetoed and "西河镇92veto.accident" in flat
    assert "2027-01-10" in flat  # the meeting's date in the body
    assert "孙局长" in flat and printed.stamped[0][1]["doc"]["code"] in flat
    signature = Signature.objects.filter(round=rows, action="decide").latest("signed_at")
    assert qr_codes(printed.pdf) == [printed.stamped[0][1]["doc"]["url"]]
    assert printed.stamped[0][1]["doc"]["url"].startswith(f"{BASE}/signatures/{signature.pk}/verify/?code=")


def verdict(client, url: str) -> str:
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    found = re.search(r'id="paper-verdict">(.*?)</p>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_the_signed_sheet_qr_verifies_until_the_sheet_is_returned_and_changed(rows, people, client):
    s = sheet(rows, "caitong", "城关镇")
    sign_all(rows, people)
    printed = do_print(current_format("section_sheet"), rows, section="caitong", unit="城关镇", acting_user=None,
                       base=BASE)
    text = pdf_text(printed.pdf)
    flat = squeeze(text)
    signature = Signature.objects.filter(sheet=s).latest("signed_at")
    doc = printed.stamped[0][1]["doc"]
    assert "科室评分表" in flat and "城关镇" in flat and "财务统计科" in flat
    assert "本表合计9.5" in flat  # 8.1: 6 - 1 = 5, 8.4: 4 - 1.5 = 2.5, 8.5: 2
    assert "签署人李分管" in flat and f"角色{role_name('head')}" in flat and "代签(受托于)—" in flat
    assert signature.digest in flat and doc["code"] in flat
    assert "财统月报迟报两次" in flat and "企业台帐不全" in flat
    [url] = qr_codes(printed.pdf)
    assert url == doc["url"] == f"{BASE}/signatures/{signature.pk}/verify/?code={doc['code']}"
    client.force_login(people["collector"])
    assert verdict(client, url) == "The paper matches what was signed."
    # the meeting sends the sheet back; its staff add a row; the paper no longer holds
    do_collect_round(rows, acting_user=fresh(people["collector"]))
    do_send_back_sheet(s, comment="8.1 再核", acting_user=fresh(people["m1"]))
    do_record_entry(rows.scheme, cells={"unit": "城关镇", "rule": "8.5.a", "date": "2026-10-09", "note": "缺训"},
                    acting_user=fresh(people["staff"]))
    assert verdict(client, url) == "The paper does not match what holds now."
    # a code that was never printed from this signature does not match either
    assert verdict(client, url.replace(doc["code"], "AAAAA-AAAAA")) == "The paper does not match what holds now."


def test_an_appraisal_form_shows_dimensions_sources_and_the_weighted_score(db, people):
    scheme = do_load_scheme("employee", 2026)
    do_import_units(csv_bytes("name,group\n张三,kefu\n李四,kefu\n王芳,kefu\n赵磊,kefu\n"), "people.csv")
    rows = ("ratee,criterion,source,group,rater,rating,period\n"
            "张三,3.1,quarterly,,李四,A,2026-Q1\n张三,3.1,quarterly,,李四,B,2026-Q2\n"
            "张三,3.1,review360,superior,李四,A,2026\n张三,3.1,review360,peer,王芳,A,2026\n"
            "张三,3.1,review360,peer,赵磊,B,2026\n张三,3.1,review360,peer,李四,C,2026\n")
    do_import_ratings(csv_bytes(rows), "r.csv", scheme)
    round_ = do_open_round(scheme, name="2026年度员工考核", acting_user=people["admin"])
    printed = do_print(current_format("appraisal_form"), round_, unit="张三", acting_user=None, base=BASE)
    flat = squeeze(pdf_text(printed.pdf))
    assert "员工考核表" in flat and "张三" in flat
    assert cli_totals(scheme.code)["张三"] == "90.28"  # as tests/test_weighted_schemes.py computes it by hand
    assert "加权得分90.28" in flat and "部门客户服务部" in flat
    assert "团队合作" in flat and "3.1" in flat
    assert "noratings" not in flat and "quota" not in flat  # the engine's codes read in the page's words
    # peers: (95 + 85 + 70) / 3, the rater group's mean (a letter of the diagonal 草稿 mark may fall in between)
    assert re.search(r"同事3人[草稿DRAFT/]?83\.33", flat)
    assert printed.stamped[0][1]["doc"]["code"] in flat and "DRAFT" in flat
