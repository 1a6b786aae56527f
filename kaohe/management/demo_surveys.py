"""The demo's questionnaires: the beneficiary questionnaire of the key projects and the enterprise questionnaire
of the service centres, each asked in its demo round and answered on paper — invitations printed, the returned
forms typed into a sheet with their tokens and imported, as the collecting section would."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

from kaohe.actions.surveys import (
    QuestionSpec,
    do_create_questionnaire,
    do_import_paper_forms,
    do_invite,
    do_open_survey,
)
from kaohe.models import Questionnaire, Survey, Unit

NOT_RETURNED = 2  # invitations per unit and group that never come back: the response rate is under 100 %

PROJECT_QUESTIONS = [
    QuestionSpec("项目服务对您(单位)的实际帮助程度", criterion="goal.users", weight=Decimal(2)),
    QuestionSpec("项目成果是否满足您的需要", kind="yes_no", criterion="goal.users"),
    QuestionSpec("项目团队与您的沟通配合", criterion="service.communication"),
    QuestionSpec("遇到问题时项目团队处理是否及时、有效", criterion="service.handling", weight=Decimal(2)),
    QuestionSpec("您反映的问题是否得到解决", kind="yes_no", criterion="service.handling"),
    QuestionSpec("对本项目的意见和建议", kind="text", required=False),
]
CENTRE_QUESTIONS = [
    QuestionSpec("对服务中心服务的总体满意度", criterion="satisfaction.survey", weight=Decimal(3)),
    QuestionSpec("办事效率", kind="choice", criterion="satisfaction.survey",
                 options=({"label": "快", "points": "100"}, {"label": "较快", "points": "85"},
                          {"label": "一般", "points": "70"}, {"label": "慢", "points": "50"})),
    QuestionSpec("工作人员的服务态度", criterion="satisfaction.survey"),
    QuestionSpec("您的诉求是否得到解决", kind="yes_no", criterion="satisfaction.survey"),
    QuestionSpec("对服务中心的意见和建议", kind="text", required=False),
]
INTRO = "本问卷不记名,答案只用于考核汇总,被考核单位只能看到汇总结果和意见原文。"
QUESTIONNAIRES = {
    "project": ("beneficiaries", "重点项目受益人满意度问卷", PROJECT_QUESTIONS),
    "centre": ("enterprises", "企业综合服务中心企业满意度问卷", CENTRE_QUESTIONS),
}
COMMENTS = {
    True: ["服务很到位,希望继续开展。", "对接及时,解决了实际困难。", "建议扩大服务范围,惠及更多企业。"],
    False: ["进度偏慢,希望加快。", "反映的问题迟迟没有答复。", "希望工作人员多到现场了解情况。"],
}


def _answer(rnd: random.Random, spec: QuestionSpec, quality: float) -> str:
    """A returned form's answer to one question around the unit's quality (0 best … 3 worst)."""
    if spec.kind == "rating":
        return str(5 - min(4, max(0, round(rnd.gauss(quality, 0.7)))))
    if spec.kind == "yes_no":
        return "是" if rnd.random() > quality / 4 else "否"
    if spec.kind == "choice":
        return spec.options[min(3, max(0, round(rnd.gauss(quality, 0.8))))]["label"]
    return rnd.choice(COMMENTS[quality < 1.5]) if rnd.random() < 0.4 else ""


def _sheet(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def answer_demo_questionnaire(round_, returned: dict[str, tuple[float, dict[str, int]]], seed: int = 2026) -> list[str]:
    """``returned``: unit → (quality, invitation group → forms returned). Writes the scheme's questionnaire,
    opens its survey in ``round_``, invites and imports the returned forms; once per round."""
    scheme, acting = round_.scheme, round_.opened_by
    code, name, questions = QUESTIONNAIRES[scheme.family]
    if Survey.objects.filter(round=round_).exists():
        return []
    questionnaire = Questionnaire.objects.filter(scheme=scheme, code=code).first() or do_create_questionnaire(
        scheme, code=code, name=name, intro=INTRO, questions=questions, acting_user=acting)
    survey = do_open_survey(round_, questionnaire, scheme.sources.get(survey=True), name=f"{scheme.year}年{name}",
                            acting_user=acting)
    units = dict(Unit.objects.filter(name__in=returned).values_list("name", "id"))
    wanted = [(group, units[unit], count + NOT_RETURNED) for unit, (_q, groups) in returned.items()
              for group, count in groups.items()]
    tokens: dict[tuple[str, str], list[str]] = {}
    for issued in do_invite(survey, wanted, acting_user=acting):
        tokens.setdefault((issued.unit, issued.group), []).append(issued.token)
    rnd = random.Random(seed)
    rows = [["token", *[str(n) for n in range(1, len(questions) + 1)]]]
    for unit, (quality, groups) in returned.items():
        for group, count in groups.items():
            for token in tokens[(unit, group)][:count]:
                rows.append([token, *[_answer(rnd, spec, quality) for spec in questions]])
    outcome = do_import_paper_forms(_sheet(rows), f"demo-{scheme.family}-questionnaires.csv", survey,
                                    acting_user=acting)
    return [f"survey: {survey.name}, {sum(n for _g, _u, n in wanted)} invitations", outcome.summary()]
