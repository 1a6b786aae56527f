"""Demo data for the key-project and service-centre schemes: one county's projects and centres, generated
deterministically and fed through the real importers and actions. The questionnaire sources are answered in
the demo round, through the survey of each scheme's questionnaire (see ``demo_surveys``)."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from kaohe.actions.appraisal import do_import_measures as import_measures
from kaohe.actions.appraisal import do_import_ratings as import_ratings
from kaohe.actions.evaluation import do_record_site_review, do_save_findings
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.staff_competence import do_import_staff_competence
from kaohe.actions.units import do_import_units as import_units
from kaohe.models import Scheme, SiteReview, Unit

from .demo import _csv
from .demo_surveys import answer_demo_questionnaire
from .demo_weighted import DEMOS as WEIGHTED_DEMOS
from .demo_weighted import STAFF, load_employee_demo

LETTERS = "ABCD"
EXPERTS = ["专家甲", "专家乙", "专家丙"]

# project → (quality 0 best … 3 worst, beneficiaries answering, participants answering)
PROJECTS = {
    "企业数字化转型服务项目": (0.3, 12, 5),
    "中小企业融资对接服务项目": (0.8, 9, 2),   # too few participants answered: that group is left out
    "专精特新企业培育项目": (0.6, 3, 2),       # too few answers at all: the questionnaire is left out
    "企业用工保障服务项目": (1.2, 8, 4),
    "园区标准厂房代建服务项目": (2.6, 7, 3),   # 不合格: an improvement plan is due
}
# indicator → (target, share of it reached by the best … the worst project)
PROJECT_MEASURES = {"goal.outputs": (40, 1.08, 0.62), "exec.milestones": (8, 1.0, 0.5),
                    "exec.contract": (24, 1.0, 0.7), "service.response": (120, 1.0, 0.72)}

CENTRES = {
    # centre → (quality, enterprises answering, the employee departments and people that staff it)
    "城关镇企业综合服务中心": (0.4, 14, STAFF["kefu"][1][:5]),
    "东山镇企业综合服务中心": (0.9, 9, STAFF["kefu"][1][5:]),
    "经济开发区企业综合服务中心": (0.7, 4, STAFF["yewu"][1]),  # under the minimum: renormalised
    "高新园区企业综合服务中心": (1.5, 11, STAFF["zonghe"][1]),
}


def _letter(rnd: random.Random, quality: float) -> str:
    return LETTERS[min(3, max(0, round(rnd.gauss(quality, 0.6))))]


def _reached(rnd: random.Random, target: int, best: float, worst: float, quality: float) -> str:
    share = best - (best - worst) * min(quality, 3) / 3 + rnd.uniform(-0.03, 0.03)
    return str(max(0, round(target * share)))


def tiny_png() -> bytes:
    """A 1×1 grey PNG: the demo's photo from the site, a real image file as the evidence check wants."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def load_project_demo(scheme: Scheme, seed: int = 2026) -> list[str]:
    rnd = random.Random(seed)
    year = scheme.year
    said = [import_units(_csv([["name", "group"], *[[p, "project"] for p in PROJECTS]]), "demo-projects.csv")
            .summary()]
    measures = [["unit", "indicator", "target", "actual", "date"]]
    for project, (quality, _b, _p) in PROJECTS.items():
        for code, (target, best, worst) in PROJECT_MEASURES.items():
            measures.append([project, code, str(target), _reached(rnd, target, best, worst, quality), f"{year}-12-31"])
        measures.append([project, "quality.documents", "", str(round(99 - quality * 6, 1)), f"{year}-12-31"])
    said.append(import_measures(_csv(measures), "demo-project-measures.csv", scheme).summary())

    panel = scheme.sources.get(code="panel").criteria
    rows = [["ratee", "criterion", "source", "group", "rater", "rating", "period"]]
    for project, (quality, _b, _p) in PROJECTS.items():
        for rule in panel:
            for expert in EXPERTS:
                rows.append([project, rule, "panel", "experts", expert, _letter(rnd, quality), str(year)])
    said.append(import_ratings(_csv(rows), "demo-project-ratings.csv", scheme).summary())

    if not SiteReview.objects.filter(scheme=scheme).exists():
        for n, (project, (quality, _b, _p)) in enumerate(PROJECTS.items()):
            observed = ("实地查看项目现场与台账资料,访谈项目负责人和受益企业代表;"
                        + ("进度与合同约定一致,资料齐全。" if quality < 1 else "部分里程碑滞后,验收资料不完整。"))
            do_record_site_review(scheme, Unit.objects.get(name=project), day=date(year, 11, 3 + n * 2),
                                  evaluators="、".join(EXPERTS), observed=observed,
                                  files=[ContentFile(tiny_png(), name="现场照片.png")], acting_user=None)
        said.append(f"site reviews: {len(PROJECTS)}")
    return said


FINDINGS = {
    True: ("项目按合同推进,成果产出达到或超过计划,受益企业评价较好。", "个别服务请求响应不够及时。",
           "建立服务请求台账,明确响应时限,按月通报。"),
    False: ("项目实施进度明显滞后,合同清单事项履行不足,受益人满意度偏低。",
            "里程碑多次延期;验收资料不完整;与受益企业沟通不畅。",
            "制定整改计划,倒排工期,每两周向重点项目服务科报告进度;补齐验收资料。"),
}


def write_project_findings(round_) -> list[str]:
    """The panel's findings for each project of the demo round (once the round is open)."""
    for project, (quality, _b, _p) in PROJECTS.items():
        found, problems, suggestions = FINDINGS[quality < 2]
        do_save_findings(round_, Unit.objects.get(name=project), findings=found, problems=problems,
                         suggestions=suggestions, acting_user=None)
    return [f"panel findings: {len(PROJECTS)}"]


CENTRE_MEASURES = {"quality.on_time": (600, 1.0, 0.8), "results.projects": (12, 1.08, 0.7),
                   "results.solved": (80, 1.2, 0.75), "satisfaction.complaints": (20, 1.0, 0.7)}


def load_centre_demo(scheme: Scheme, seed: int = 2026) -> list[str]:
    rnd = random.Random(seed)
    year = scheme.year
    said = [import_units(_csv([["name", "group"], *[[c, "centre"] for c in CENTRES]]), "demo-centres.csv")
            .summary()]
    measures = [["unit", "indicator", "target", "actual", "date"]]
    for centre, (quality, _e, _s) in CENTRES.items():
        for code, (target, best, worst) in CENTRE_MEASURES.items():
            measures.append([centre, code, str(target), _reached(rnd, target, best, worst, quality), f"{year}-12-31"])
        days = (Decimal(5) * Decimal(str(0.8 + quality * 0.2 + rnd.uniform(0, 0.1)))).quantize(Decimal("0.1"))
        measures.append([centre, "quality.days", "5", str(days), f"{year}-12-31"])
    said.append(import_measures(_csv(measures), "demo-centre-measures.csv", scheme).summary())

    rows = [["ratee", "criterion", "source", "group", "rater", "rating", "period"]]
    for centre, (quality, _e, _staff) in CENTRES.items():
        for rule in scheme.sources.get(code="panel").criteria:
            for member in ("考评组甲", "考评组乙", "考评组丙"):
                rows.append([centre, rule, "panel", "panel", member, _letter(rnd, quality), str(year)])
    said.append(import_ratings(_csv(rows), "demo-centre-ratings.csv", scheme).summary())

    # 业务能力: the centres' staff are appraised under the employee scheme of the same year
    employees = do_load_scheme("employee", year)
    load_employee_demo(employees)
    staff = [["centre", "person"], *[[c, p] for c, (_q, _e, people) in CENTRES.items() for p in people]]
    said.append(do_import_staff_competence(_csv(staff), "demo-centre-staff.csv", scheme,
                                           employee_scheme=employees).summary())
    return said


def answer_project_questionnaires(round_) -> list[str]:
    """The beneficiaries and participants return their questionnaires in the demo round."""
    return answer_demo_questionnaire(round_, {
        project: (quality, {"beneficiaries": beneficiaries, "participants": participants})
        for project, (quality, beneficiaries, participants) in PROJECTS.items()})


def answer_centre_questionnaires(round_) -> list[str]:
    """The enterprises return their questionnaires in the demo round."""
    return answer_demo_questionnaire(round_, {centre: (quality, {"enterprises": enterprises})
                                              for centre, (quality, enterprises, _s) in CENTRES.items()})


def project_round_demo(round_) -> list[str]:
    return answer_project_questionnaires(round_) + write_project_findings(round_)


DEMOS = {**WEIGHTED_DEMOS, "project": load_project_demo, "centre": load_centre_demo}
# demo content that belongs to the opened round
ROUND_DEMOS = {"project": project_round_demo, "centre": answer_centre_questionnaires}
