"""A demo year for the town scheme, generated deterministically and fed through the real importers."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from kaohe.actions.economy import do_import_economy as import_economy
from kaohe.actions.ledger import do_import_ledger as import_ledger
from kaohe.actions.people import do_create_login, do_grant_role
from kaohe.actions.rounds import do_open_round
from kaohe.actions.units import do_import_units as import_units
from kaohe.models import Scheme, Section, Unit
from kaohe.scoring import AsOf

TOWNS = ["城关镇", "东山镇", "西河镇", "南湖镇", "北岭镇", "青石镇", "白沙镇", "金桥镇", "临江镇", "凤凰镇",
         "桃源镇", "新港镇"]
ENTITIES = ["经济开发区", "高新园区", "现代农业园"]
DIRECT = ["县机械总厂", "县化工集团"]

# (rule, how often it happens in a year, quantity or points)
EVENTS = [
    ("1.1.a", 0.08, None), ("1.3.a", 0.3, None), ("1.3.b", 0.5, None), ("2.a", 0.8, None), ("2.b", 0.3, None),
    ("3.1.a", 0.1, None), ("3.1.b", 1.2, None), ("3.2.b", 0.3, None), ("3.2.c", 0.6, None),
    ("3.3.b", 0.3, None), ("3.3.c", 0.5, None), ("3.4.b", 0.5, None), ("3.4.i", 0.3, None),
    ("4.a", 0.3, None), ("6.1.a", 0.4, None), ("8.1.a", 1.5, None), ("8.2.a", 0.6, None),
    ("8.3.b", 0.4, None), ("9.3.a", 0.2, None), ("9.6.a", 0.15, None), ("10.1.a", 0.3, None),
    ("10.3.a", 0.8, None), ("10.3.b", 2.0, None),
]
DISCRETIONARY = [("7.a", -3, "安全生产台帐不完整"), ("8.4.a", -2, "数据库更新不及时"), ("11.1.a", -1, "例会记录缺失"),
                 ("3.1.c", 2, "技改工作量超额完成")]
NOTES = {"8.1.a": "财统报表迟报", "3.1.b": "技改报表差错", "9.6.a": "企业投诉", "6.1.a": "未参加招商活动"}


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8")


def _merge_repeats(rows: list[list[str]]) -> list[list[str]]:
    """The same occurrence drawn twice on one day is one row with quantity 2, as staff would write it."""
    merged: dict[tuple, list[str]] = {}
    for row in rows[1:]:
        unit, rule, quantity, points, day, note = row
        key = (unit, rule, points, day, note)
        if key not in merged:
            merged[key] = list(row)
        elif not points:  # the same amount drawn twice on one day is one decision: keep it once
            merged[key][2] = str(Decimal(merged[key][2]) + Decimal(quantity))
    return [rows[0], *merged.values()]


def load_demo(scheme: Scheme, seed: int = 2026) -> list[str]:
    rnd = random.Random(seed)
    year = scheme.year
    said = []
    units = [["name", "group"]] + [[t, "town"] for t in TOWNS] + [[e, "entity"] for e in ENTITIES] + \
        [[d, "direct"] for d in DIRECT]
    said.append(import_units(_csv(units), "demo-units.csv").summary())

    everyone = TOWNS + ENTITIES + DIRECT
    targets = {(u, code): Decimal(rnd.randrange(20_000, 400_000)) * 10
               for u in everyone for code in ("output", "revenue", "value_added", "profit", "investment")}
    pace = {u: Decimal(rnd.randrange(90, 116)) / 100 for u in everyone}
    for month in (3, 6, 9, 12):
        rows = [["unit", "indicator", "target", "actual"]]
        for (unit, code), target in targets.items():
            wobble = Decimal(rnd.randrange(97, 104)) / 100
            actual = (target * month / 12 * pace[unit] * wobble).quantize(Decimal("1"))
            rows.append([unit, code, str(target), str(actual)])
        said.append(import_economy(_csv(rows), f"demo-economy-{month:02d}.csv", scheme, AsOf(year, month)).summary())

    ledger = [["unit", "rule", "quantity", "points", "date", "note"]]
    for unit in TOWNS:
        for rule, rate, _ in EVENTS:
            for _n in range(int(rate) + (1 if rnd.random() < rate % 1 else 0)):
                day = f"{year}-{rnd.randrange(1, 12):02d}-{rnd.randrange(1, 28):02d}"
                ledger.append([unit, rule, "1", "", day, NOTES.get(rule, "")])
        for rule, worst, note in DISCRETIONARY:
            if rnd.random() < 0.35:
                points = str(Decimal(rnd.randrange(1, 5)) / 4 * worst)
                ledger.append([unit, rule, "", points, f"{year}-12-{rnd.randrange(1, 20):02d}", note])
        ledger.append([unit, "10.2.b", str(rnd.randrange(4, 10)), "", f"{year}-12-20", "全年信息条数"])
        ledger.append([unit, "5.b", str(Decimal(rnd.randrange(70, 101)) / 100), "", f"{year}-12-20", "新增任务完成率"])
    said.append(import_ledger(_csv(_merge_repeats(ledger)), "demo-ledger.csv", scheme).summary())
    return said


DEMO_PEOPLE = [
    # username, display name, role, scope (section code or unit name)
    ("admin", "系统管理员", "admin", None),
    ("jingban", "王经办", "staff", "*"),
    ("fenguan", "李分管", "head", "*"),
    ("zhidao", "赵指导", "collector", None),
    ("huiyi1", "局长", "meeting", None),
    ("huiyi2", "副局长甲", "meeting", None),
    ("huiyi3", "副局长乙", "meeting", None),
    ("guancha", "观察员", "observer", None),
    ("chengguan", "城关镇企业服务中心", "unit", "城关镇"),
    ("dongshan", "东山镇企业服务中心", "unit", "东山镇"),
]


def load_demo_people(password: str) -> list[str]:
    """Demo users for every role (one staff member and one head for all sections), for trying the route."""
    existing = set(get_user_model().objects.values_list("username", flat=True))
    made = []
    for username, name, role, scope in DEMO_PEOPLE:
        user = do_create_login(username, password=password, display_name=name, administrator=role == "admin")
        if username not in existing:
            made.append(username)
        if role in {"staff", "head"}:
            for section in Section.objects.all():
                do_grant_role(user, role, section=section)
        elif role == "unit":
            unit = Unit.objects.filter(name=scope).first()
            if unit is not None:
                do_grant_role(user, role, unit=unit)
        else:
            do_grant_role(user, role)
    return made


def open_demo_round(scheme: Scheme):
    if scheme.rounds.exists():
        return None
    admin = get_user_model().objects.get(username="admin")
    return do_open_round(scheme, acting_user=admin)
