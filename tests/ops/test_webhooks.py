"""Notifications reach DingTalk and WeCom group robots: signed as DingTalk documents it, after commit only,
retried with back-off through RQ, failures kept and visible, never holding up the step that notified."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import django_rq
import pytest
from django.db import transaction
from django.utils import translation
from rq import SimpleWorker

from kaohe.actions.ledger import do_record_entry
from kaohe.actions.notify import notify
from kaohe.actions.transitions import do_transition
from kaohe.actions.webhooks import MAX_ATTEMPTS, dingtalk_signed, do_retry_delivery, send_now
from kaohe.doctype.notices import render as render_notice
from kaohe.models import Section, WebhookDelivery, WebhookEndpoint
from tests.conftest import fresh
from tests.test_route import sheet

pytestmark = pytest.mark.django_db
SECRET = "SEC0123456789abcdef"


class Robot:
    """A loopback HTTP server standing in for the robot: records what it got, answers as told."""

    def __init__(self):
        self.received: list[dict] = []
        self.status, self.answer = 200, {"errcode": 0, "errmsg": "ok"}
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append({"path": self.path, "body": json.loads(body),
                                       "type": self.headers["Content-Type"]})
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(robot.answer).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=t0k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    made = Robot()
    yield made
    made.close()


@pytest.fixture
def submitted(round_, people, robot, settings, django_capture_on_commit_callbacks):
    """The section's DingTalk robot; staff record a row and submit the sheet, which notifies the head."""
    settings.REDIS_URL = ""
    settings.KAOHE_SITE_URL = "https://kaohe.example.cn"
    WebhookEndpoint.objects.create(name="财统科群", kind=WebhookEndpoint.DINGTALK, url=robot.url, secret=SECRET,
                                   section=Section.objects.get(code="caitong"))
    staff = fresh(people["staff"])
    do_record_entry(round_.scheme, cells={"unit": "城关镇", "rule": "8.1.a", "quantity": "1", "date": "2026-03-01",
                                          "note": "迟报"}, acting_user=staff)
    s = sheet(round_, "caitong", "城关镇")
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(s, "submit", acting_user=staff)
    return s


def _expected_sign(timestamp: str) -> str:
    digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_a_submitted_sheet_reaches_the_sections_dingtalk_group_signed(submitted, robot):
    assert len(robot.received) == 1
    got = robot.received[0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(got["path"]).query)
    assert query["access_token"] == ["t0k"]
    assert query["sign"] == [_expected_sign(query["timestamp"][0])]
    assert got["type"].startswith("application/json")
    assert got["body"]["msgtype"] == "text"
    content = got["body"]["text"]["content"]
    assert "城关镇" in content and f"https://kaohe.example.cn/sheets/{submitted.pk}/" in content
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (WebhookDelivery.SENT, 1, "")


def test_the_signature_matches_dingtalks_documented_example():
    # timestamp and secret fixed: the value is HMAC-SHA256(secret, "timestamp\nsecret"), base64, URL-encoded
    signed = dingtalk_signed("https://oapi.dingtalk.com/robot/send?access_token=x", SECRET, now_ms=1700000000000)
    expected = urllib.parse.quote_plus(_expected_sign("1700000000000"))
    assert signed == f"https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000&sign={expected}"


def test_a_wecom_robot_of_one_person_gets_the_text_unsigned(people, robot, settings,
                                                            django_capture_on_commit_callbacks):
    settings.REDIS_URL = ""
    settings.KAOHE_SITE_URL = ""  # links stay relative when the site's address is not known
    WebhookEndpoint.objects.create(name="张主任", kind=WebhookEndpoint.WECOM, url=robot.url, user=people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        notify([people["collector"].pk, people["town"].pk], "collect", "/rounds/1/", round="2026年度考核")
    assert len(robot.received) == 1
    assert "sign=" not in robot.received[0]["path"]
    with translation.override("zh-hans"):  # a group robot speaks the site's language, whoever reads the inbox
        expected = render_notice("collect", {"round": "2026年度考核"})
    assert "2026年度考核" in expected
    assert robot.received[0]["body"] == {"msgtype": "text", "text": {"content": f"{expected}\n/rounds/1/"}}


def test_a_robot_that_refuses_does_not_undo_the_step_and_the_failure_is_kept(round_, people, robot, settings,
                                                                             django_capture_on_commit_callbacks):
    settings.REDIS_URL = ""
    robot.status, robot.answer = 200, {"errcode": 310000, "errmsg": "sign not match"}
    WebhookEndpoint.objects.create(name="群", kind=WebhookEndpoint.DINGTALK, url=robot.url, secret="wrong",
                                   section=Section.objects.get(code="caitong"))
    s = sheet(round_, "caitong", "城关镇")
    with django_capture_on_commit_callbacks(execute=True):
        do_transition(s, "submit", acting_user=fresh(people["staff"]))
    s.refresh_from_db()
    assert s.state == "submitted"
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.PENDING and delivery.attempts == 1
    assert delivery.last_error == "errcode 310000: sign not match"

    robot.status = 500
    for _ in range(MAX_ATTEMPTS - 1):
        assert send_now(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.FAILED and delivery.last_error == "HTTP 500"

    robot.status, robot.answer = 200, {"errcode": 0}
    with django_capture_on_commit_callbacks(execute=True):
        do_retry_delivery(delivery, acting_user=people["admin"])
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.SENT


def test_nothing_is_sent_for_a_step_that_was_rolled_back(people, robot, settings, django_capture_on_commit_callbacks):
    settings.REDIS_URL = ""
    WebhookEndpoint.objects.create(name="群", kind=WebhookEndpoint.WECOM, url=robot.url, user=people["head"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify([people["head"].pk], "publish", "", round="不会发出")
        raise RuntimeError("the step failed after notifying")
    assert robot.received == [] and not WebhookDelivery.objects.exists()


def test_with_redis_the_message_goes_through_an_rq_job_and_is_retried(people, robot, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.REDIS_URL = "redis://127.0.0.1:6379/12"
    settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    WebhookEndpoint.objects.create(name="群", kind=WebhookEndpoint.WECOM, url=robot.url, user=people["head"])
    robot.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        notify([people["head"].pk], "submit", "/sheets/9/", section="财统科", unit="城关镇")
    assert robot.received == [] and queue.count == 1  # queued, not sent inside the request
    job = queue.jobs[0]
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    delivery = WebhookDelivery.objects.get()
    assert len(robot.received) == 1 and delivery.attempts == 1 and delivery.state == WebhookDelivery.PENDING
    job.refresh()
    assert job.retries_left == MAX_ATTEMPTS - 2  # failed once: RQ schedules the next attempt after the back-off

    robot.status = 200
    queue.enqueue_job(job)  # the back-off has passed
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.SENT and delivery.attempts == 2
    queue.connection.flushdb()


def test_the_audit_of_a_robot_keeps_neither_its_secret_nor_its_access_token(people):
    from kaohe.actions.records import do_save_record
    from kaohe.models import AuditEvent

    endpoint = WebhookEndpoint(name="群", kind=WebhookEndpoint.DINGTALK, secret=SECRET,
                               url="https://oapi.dingtalk.com/robot/send?access_token=t0k3n",
                               section=Section.objects.first())
    do_save_record(endpoint, acting_user=people["admin"])
    endpoint.secret = "SECchanged"
    do_save_record(endpoint, acting_user=people["admin"])
    events = AuditEvent.objects.filter(action__startswith="webhookendpoint.")
    assert events.count() == 2
    stored = json.dumps([[e.before, e.after] for e in events])
    assert SECRET not in stored and "SECchanged" not in stored and "t0k3n" not in stored
    change = events.get(action="webhookendpoint.change")
    assert change.before["secret"] != change.after["secret"]  # that it changed is still seen
    assert change.before["url"] == change.after["url"]
