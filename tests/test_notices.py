"""Notices are stored as a key and parameters and read in the reader's language; rounds are named apart."""

import importlib

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from kaohe.actions.notify import notify, notify_transition
from kaohe.actions.rounds import do_open_round
from kaohe.models import Notification, Profile

migration = importlib.import_module("kaohe.migrations.0010_notification_keys_round_names")


def test_a_notice_written_in_chinese_reads_in_english_for_an_english_reader(client, round_, people):
    sheet = round_.sheets.select_related("section", "unit").get(section__code="caitong", unit__name="城关镇")
    with translation.override("zh-hans"):  # the writer works in Chinese
        notify_transition(sheet, "submit", people["staff"])
    note = Notification.objects.get(user=people["head"])
    assert (note.key, note.params["unit"]) == ("submit", "城关镇")
    client.force_login(people["head"])
    english = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    section = sheet.section.name
    assert f"{section} · 城关镇: the score sheet was submitted and waits for signature" in english
    assert f"{section} · 城关镇：评分表已提交，等待签署" in chinese
    assert "评分表已提交" not in english


def test_email_goes_out_in_each_recipients_language(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Profile.objects.create(user=people["m1"], language="en")
    with translation.override("zh-hans"):
        notify([people["m1"].pk, people["m2"].pk], "publish", "/", round="乡镇考核 2026")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["m1@example.invalid"].subject == "[Assessment] 乡镇考核 2026: the results are published"
    assert by_address["m2@example.invalid"].subject == "[考核] 乡镇考核 2026 考核结果已公布"


def test_old_sentences_are_read_back_into_keys_and_others_shown_as_stored():
    assert migration.key_of("财统科·城关镇 评分表被退回") == ("return", {"section": "财统科", "unit": "城关镇"})
    assert migration.key_of("您的申诉已答复：安全科") == ("objection_answered", {"section": "安全科"})
    assert migration.key_of("某条自由文字") is None
    assert Notification(legacy_text="某条自由文字").text == "某条自由文字"


def test_a_round_is_named_by_scheme_year_and_period_once_per_scheme(town, people):
    first = do_open_round(town, acting_user=people["admin"])
    assert first.name == f"{town.name} 2026年度考核"
    first.state = "closed"
    first.save()
    second = do_open_round(town, acting_user=people["admin"])
    assert second.name == f"{town.name} 2026年度考核 (2)"
    second.state = "closed"
    second.save()
    mid = do_open_round(town, name="复核", period="mid_year", as_of_month=6, acting_user=people["admin"])
    assert mid.name == f"{town.name} 2026年中检查（截至6月） · 复核"
    with pytest.raises(IntegrityError), transaction.atomic():
        type(first).objects.create(scheme=town, name=first.name, opened_by=people["admin"])


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_sentences_into_keys_and_numbers_repeated_round_names(django_user_model):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("kaohe", "0007_ledger_row_identity")], [("kaohe", "0010_notification_keys_round_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="reader")
    Notification = old.get_model("kaohe", "Notification")
    Notification.objects.create(user_id=user.pk, text="财统科·城关镇 评分表已签署")
    Notification.objects.create(user_id=user.pk, text="一条手写的通知")
    scheme = old.get_model("kaohe", "Scheme").objects.create(code="town-2026", name="乡镇考核", year=2026)
    Round = old.get_model("kaohe", "Round")
    for _ in range(2):
        Round.objects.create(scheme_id=scheme.pk, name="2026年度考核", opened_by_id=user.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    rows = {n.legacy_text: (n.key, n.params) for n in new.get_model("kaohe", "Notification").objects.all()}
    assert rows["财统科·城关镇 评分表已签署"] == ("sign", {"section": "财统科", "unit": "城关镇"})
    assert rows["一条手写的通知"] == ("", {})
    names = list(new.get_model("kaohe", "Round").objects.order_by("id").values_list("name", flat=True))
    assert names == ["乡镇考核 · 2026年度考核", "乡镇考核 · 2026年度考核 (2)"]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for the tests after this one


def test_logging_in_remembers_the_language_for_email(client, people):
    from .conftest import PASSWORD

    client.post(reverse("kaohe:login"), {"username": "m1", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert Profile.objects.get(user=people["m1"]).language == "en"
    client.logout()
    client.post(reverse("kaohe:login"), {"username": "m1", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert Profile.objects.get(user=people["m1"]).language == "zh-hans"


def test_a_key_without_wording_still_reads_in_the_readers_language():
    with translation.override("en"):
        assert Notification(key="close", params={"round": "R"}).text == "R was archived"
        assert Notification(key="close:approve", params={"round": "R"}).text == "R: step archive"
        assert Notification(key="sign:approve", params={"round": "R"}).text == "R: step sign"
    with translation.override("zh-hans"):
        assert Notification(key="sign:approve", params={"round": "R"}).text == "R：步骤 签署"


@pytest.mark.parametrize("language,expected", [
    ("zh-hans", "已导入 3 行 台账 数据，批次 #7：新增 2，更改 0，未变 1"),
    ("en", "imported 3 ledger rows as batch #7: 2 new, 0 changed, 1 unchanged")])
def test_an_import_summary_names_what_was_imported_in_the_readers_language(language, expected):
    from kaohe.imports.outcome import ImportOutcome

    with translation.override(language):
        assert ImportOutcome("ledger", 3, 7, created=2, unchanged=1).summary() == expected
