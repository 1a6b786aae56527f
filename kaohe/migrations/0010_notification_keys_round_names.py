"""Notifications become a message key and its parameters (worded in the reader's language when shown); the
finished sentences stored so far are read back into keys where they match the old wording, and shown as they
are otherwise. Rounds are named by scheme, year and period, once per scheme; a name used twice gets numbered."""

import re

from django.conf import settings
from django.db import migrations, models

# The sentences notifications were stored as before they had keys (kaohe.actions.notify before 0010).
OLD_WORDING = {
    "submit": "{section}·{unit} 评分表已提交，等待签署",
    "sign": "{section}·{unit} 评分表已签署",
    "return": "{section}·{unit} 评分表被退回",
    "send_back": "{section}·{unit} 评分表被局长办公会议发回重评",
    "object": "{unit} 对 {section} 评分提出申诉",
    "collect": "{round} 已汇总，等待局长办公会议审定",
    "reopen": "{round} 已发回重评",
    "recollect": "{round} 因申诉改分重新汇总，等待局长办公会议审定新版本",
    "decide": "{round} 已审定，等待公布",
    "decide:approve": "{round} 审定：已有成员签署同意",
    "publish": "{round} 考核结果已公布",
    "close": "{round} 已归档",
    "objection_answered": "您的申诉已答复：{section}",
}


def _pattern(wording: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", wording)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + "$")


PATTERNS = [(key, _pattern(wording)) for key, wording in OLD_WORDING.items()]


def key_of(text: str) -> tuple[str, dict] | None:
    """The key and parameters an old sentence was made from, or None (it is then shown as it was stored)."""
    for key, pattern in PATTERNS:
        match = pattern.match(text)
        if match:
            return key, match.groupdict()
    return None


def notices_to_keys(apps, schema_editor):
    Notification = apps.get_model("kaohe", "Notification")
    for note in Notification.objects.filter(key="").iterator(chunk_size=2000):
        found = key_of(note.legacy_text)
        if found:
            Notification.objects.filter(pk=note.pk).update(key=found[0], params=found[1])


def number_repeated_round_names(apps, schema_editor):
    Round = apps.get_model("kaohe", "Round")
    seen = set()
    for round_ in Round.objects.select_related("scheme").order_by("scheme_id", "opened_at", "id"):
        name, number = round_.name, 2
        if not name.startswith(round_.scheme.name):
            name = f"{round_.scheme.name} · {name}"
        candidate = name
        while (round_.scheme_id, candidate) in seen:
            candidate, number = f"{name} ({number})", number + 1
        seen.add((round_.scheme_id, candidate))
        if candidate != round_.name:
            Round.objects.filter(pk=round_.pk).update(name=candidate[:200])


# Rule kinds get names people read (the choices' labels only; no column changes).
KINDS = [("one_off", "once when it happened"), ("per_occurrence", "per occurrence"), ("tiered", "by band per row"),
         ("proportional", "in proportion to completion"), ("count_threshold", "yearly count below a band"),
         ("discretionary", "discretionary, with a reason"),
         ("economic", "economic targets (time-proportional progress)"), ("veto", "one-vote veto"),
         ("economic_veto", "economic veto (computed)"), ("rating", "ratings (360°)"), ("ratio", "actual / target"),
         ("capped", "actual / target, capped"), ("lower_better", "target / actual (lower is better)"),
         ("banded", "by band")]


class Migration(migrations.Migration):
    dependencies = [
        ("kaohe", "0009_score_aggregates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("notification", "text", "legacy_text"),
        migrations.AlterField("notification", "legacy_text",
                              models.CharField(blank=True, max_length=300, verbose_name="text")),
        migrations.AddField("notification", "key", models.CharField(blank=True, max_length=40, verbose_name="message")),
        migrations.AddField("notification", "params",
                            models.JSONField(blank=True, default=dict, verbose_name="parameters")),
        migrations.RunPython(notices_to_keys, migrations.RunPython.noop),
        migrations.AddField("profile", "language", models.CharField(
            blank=True, choices=[("zh-hans", "简体中文"), ("en", "English")], max_length=10, verbose_name="language")),
        migrations.RunPython(number_repeated_round_names, migrations.RunPython.noop),
        migrations.AddConstraint("round", models.UniqueConstraint(fields=("scheme", "name"),
                                                                  name="round_name_once_per_scheme")),
        migrations.AlterField("historicalrule", "kind",
                              models.CharField(choices=KINDS, max_length=20, verbose_name="kind")),
        migrations.AlterField("rule", "kind", models.CharField(choices=KINDS, max_length=20, verbose_name="kind")),
    ]
