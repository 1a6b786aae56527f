"""Demo data for the appraisal, KPI and objectives schemes, generated deterministically and fed
through the real importers (so the demo also proves the import path)."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from kaohe.actions.appraisal import do_import_measures as import_measures
from kaohe.actions.appraisal import do_import_ratings as import_ratings
from kaohe.actions.people import do_create_login, do_grant_role, do_set_password_if_unset
from kaohe.actions.units import do_import_units as import_units
from kaohe.models import Scheme, Unit

from .demo import _csv

# department → (manager, staff); the demo logins are in DEMO_LOGINS
STAFF = {
    "kefu": ("陈静", ["张三", "李四", "王芳", "赵磊", "孙丽", "周杰", "吴敏", "郑浩", "钱程", "冯雪"]),
    "yewu": ("马超", ["张伟", "李娜", "何军", "高洁", "罗兰"]),
    "zonghe": ("林涛", ["王强", "刘洋", "许可", "邓佳"]),
}
DEMO_LOGINS = {"张三": "zhangsan", "李四": "lisi", "陈静": "chenjing"}
LETTERS = "ABCD"


def _letter(rnd: random.Random, skill: float) -> str:
    """A rating letter around a person's skill (0 best … 3 worst)."""
    return LETTERS[min(3, max(0, round(rnd.gauss(skill, 0.7))))]


def load_employee_demo(scheme: Scheme, seed: int = 2026) -> list[str]:
    rnd = random.Random(seed)
    year = scheme.year
    people = [["name", "group", "user"]]
    for dept, (manager, staff) in STAFF.items():
        for name in [manager, *staff]:
            people.append([name, dept, DEMO_LOGINS.get(name, "")])
    said = [import_units(_csv(people), "demo-people.csv").summary()]

    rules = list(scheme.rules.values_list("code", flat=True))
    sources = {s.code: s for s in scheme.sources.all()}
    skill = {name: rnd.uniform(0.2, 1.6) for _d, (m, staff) in STAFF.items() for name in [m, *staff]}
    skill["郑浩"] = 2.9  # one clear 不合格, to show the improvement plan
    skill["张三"] = skill["李四"] = 0.0  # two at the top of 客户服务部: the 20 % quota decides
    rows = [["ratee", "criterion", "source", "group", "rater", "rating", "period"]]
    for manager, staff in STAFF.values():
        for person in staff:
            peers = [p for p in staff if p != person]
            for rule in rules:
                for quarter in range(1, 5):
                    rows.append([person, rule, "quarterly", "", manager, _letter(rnd, skill[person]),
                                 f"{year}-Q{quarter}"])
                if not sources["survey"].criteria or rule in sources["survey"].criteria:
                    for half in (1, 2):
                        for customer in range(1, 4):
                            rows.append([person, rule, "survey", "", f"客户{rnd.randrange(100, 999)}-{customer}",
                                         str(rnd.randrange(60, 101)), f"{year}-H{half}"])
                if rule in sources["review360"].criteria:
                    rows.append([person, rule, "review360", "superior", manager, _letter(rnd, skill[person]),
                                 str(year)])
                    for peer in rnd.sample(peers, min(len(peers), 4)):
                        rows.append([person, rule, "review360", "peer", peer, _letter(rnd, skill[person]),
                                     str(year)])
                if rule in sources["spot"].criteria and rnd.random() < 0.5:
                    rows.append([person, rule, "spot", "", "质检组", _letter(rnd, skill[person]),
                                 f"{year}-{rnd.randrange(1, 13):02d}"])
                if rnd.random() < 0.9:  # a few forgot their self-assessment: that source is renormalised away
                    rows.append([person, rule, "self", "self", person, _letter(rnd, skill[person] - 0.3), str(year)])
                    rows.append([person, rule, "self", "superior", manager, _letter(rnd, skill[person]), str(year)])
        # the manager: rated by the staff as subordinates in the 360° review
        for rule in sources["review360"].criteria:
            for subordinate in rnd.sample(staff, min(3, len(staff))):
                rows.append([manager, rule, "review360", "subordinate", subordinate, _letter(rnd, 0.8), str(year)])
        for rule in rules:
            rows.append([manager, rule, "quarterly", "", "总经理", _letter(rnd, 0.6), f"{year}-Q4"])
    said.append(import_ratings(_csv(rows), "demo-ratings.csv", scheme).summary())
    return said


KPI_UNITS = [("销售部", "sales"), ("销售二部", "sales"), ("生产部", "production"), ("生产二车间", "production"),
             ("财务部", "finance")]
KPI_VALUES = {
    # indicator: (target, low, high) — actuals drawn between low and high
    "sales.amount": (8000, 6800, 9600), "sales.satisfaction": (None, 82, 98), "sales.share": (18, 14, 21),
    "sales.new_customers": (60, 40, 80), "prod.capacity": (90, 75, 96), "prod.pass_rate": (None, 97, 100),
    "prod.on_time": (98, 90, 100), "prod.energy": ("0.8", "0.7", "0.95"), "fin.growth": (None, -2, 18),
    "fin.cost_ratio": (65, 60, 72), "fin.margin": (12, 8, 15), "fin.roa": (8, 5, 10),
}


def load_kpi_demo(scheme: Scheme, seed: int = 2026) -> list[str]:
    rnd = random.Random(seed)
    said = [import_units(_csv([["name", "group"], *[[n, g] for n, g in KPI_UNITS]]), "demo-departments.csv")
            .summary()]
    rows = [["unit", "indicator", "target", "actual", "date"]]
    for unit, group in KPI_UNITS:
        for code, (target, low, high) in KPI_VALUES.items():
            if not code.startswith({"sales": "sales", "production": "prod", "finance": "fin"}[group]):
                continue
            low, high = Decimal(str(low)), Decimal(str(high))
            actual = (low + (high - low) * Decimal(rnd.randrange(0, 101)) / 100).quantize(Decimal("0.01"))
            rows.append([unit, code, "" if target is None else str(target), str(actual), f"{scheme.year}-12-31"])
    said.append(import_measures(_csv(rows), "demo-kpi.csv", scheme).summary())
    return said


MBO_PROGRESS = [
    ("t.jan.zhangwei", "01-31", "380"), ("t.jan.lina", "01-31", "210"), ("t.feb", "02-28", "520"),
    ("t.mar", "03-31", "650"), ("t.q2", "04-30", "700"), ("t.q2", "06-30", "2100"), ("t.q3", "09-30", "1850"),
    ("t.q4", "12-31", "2300"), ("t.on_time", "06-30", "96.5"), ("t.on_time", "12-31", "97.8"),
    ("t.energy", "12-31", "0.76"), ("t.cost", "12-31", "66.2"), ("t.receivables", "12-31", "4700"),
]


MBO_OWNER_LOGINS = {"张伟": "zhangwei"}  # an owner of personal tasks, to try the Desk as an MBO owner


def load_mbo_demo(scheme: Scheme) -> list[str]:
    for name, username in MBO_OWNER_LOGINS.items():
        owner = Unit.objects.filter(name=name, objectives__scheme=scheme).first()
        if owner is not None:
            do_grant_role(do_create_login(username, password=None, display_name=name), "unit", unit=owner)
    rows = [["indicator", "actual", "date"], *[[c, a, f"{scheme.year}-{d}"] for c, d, a in MBO_PROGRESS]]
    return [import_measures(_csv(rows), "demo-progress.csv", scheme).summary()]


DEMOS = {"employee": load_employee_demo, "dept_kpi": load_kpi_demo, "mbo": load_mbo_demo}


def set_demo_passwords(password: str) -> None:
    """The demo employees' logins (created by the people import without a password) get the demo password."""
    for user in get_user_model().objects.filter(username__in=[*DEMO_LOGINS.values(), *MBO_OWNER_LOGINS.values()]):
        do_set_password_if_unset(user, password)
