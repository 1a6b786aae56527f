"""An appraisal scheme whose customer survey is answered by invited enterprises and beneficiaries."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache

from kaohe.actions.rounds import do_open_round
from kaohe.actions.schemes import do_load_scheme
from kaohe.actions.surveys import do_invite, do_open_survey
from kaohe.actions.units import do_import_units
from kaohe.models import Membership, Question, Questionnaire, RaterGroup, RatingSource, Rule
from tests.imports.helpers import csv_bytes


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the answer page's rate limits count in the cache
    yield
    cache.clear()


@pytest.fixture
def admin(django_user_model):
    made = django_user_model.objects.create_user("admin", "admin@example.invalid", "a-Long-pass-4821", is_staff=True)
    Membership.objects.create(user=made, role="admin")
    return made


@pytest.fixture
def scheme(db, django_user_model):
    scheme = do_load_scheme("employee", 2026)
    for login in ("zhangsan", "lisi"):
        django_user_model.objects.create_user(login, f"{login}@example.invalid", "a-Long-pass-4821")
    do_import_units(csv_bytes("name,group,user\n张三,kefu,zhangsan\n李四,kefu,lisi\n"), "people.csv")
    source = RatingSource.objects.get(scheme=scheme, code="survey")
    source.survey = True
    source.save()
    RaterGroup.objects.create(source=source, code="enterprises", name="企业", weight=D(60), min_raters=2, order=1)
    RaterGroup.objects.create(source=source, code="beneficiaries", name="受益人", weight=D(40), min_raters=3, order=2)
    return scheme


@pytest.fixture
def questionnaire(scheme):
    """1: rating 1–5 on 2.1 (weight 2); 2: yes/no on 2.1 (weight 1); 3: single choice on 1.1, optional;
    4: free text, optional."""
    made = Questionnaire.objects.create(scheme=scheme, code="customers", name="客户满意度问卷")
    rule = {r.code: r for r in Rule.objects.filter(scheme=scheme, code__in=["1.1", "2.1"])}
    Question.objects.create(questionnaire=made, order=1, text="您对服务的总体满意度", kind="rating",
                            rule=rule["2.1"], weight=D(2))
    Question.objects.create(questionnaire=made, order=2, text="问题是否得到解决", kind="yes_no", rule=rule["2.1"])
    Question.objects.create(questionnaire=made, order=3, text="响应速度", kind="choice", rule=rule["1.1"],
                            required=False, options=[{"label": "快", "points": "100"},
                                                     {"label": "一般", "points": "60"},
                                                     {"label": "慢", "points": "20"}])
    Question.objects.create(questionnaire=made, order=4, text="意见和建议", kind="text", required=False)
    return made


@pytest.fixture
def survey(scheme, questionnaire, admin):
    round_ = do_open_round(scheme, name="2026年度员工考核", acting_user=admin)
    return do_open_survey(round_, questionnaire, RatingSource.objects.get(scheme=scheme, code="survey"),
                          name="2026年客户满意度调查", acting_user=admin)


@pytest.fixture
def unit_ids(scheme):
    from kaohe.models import Unit

    return dict(Unit.objects.filter(name__in=["张三", "李四"]).values_list("name", "id"))


@pytest.fixture
def tokens(survey, unit_ids, admin):
    """Three enterprise and three beneficiary invitations about 张三, two enterprise ones about 李四."""
    issued = do_invite(survey, [("enterprises", unit_ids["张三"], 3), ("beneficiaries", unit_ids["张三"], 3),
                                ("enterprises", unit_ids["李四"], 2)], acting_user=admin)
    found: dict[tuple[str, str], list[str]] = {}
    for item in issued:
        found.setdefault((item.unit, item.group), []).append(item.token)
    return found


def answers(questions, **by_order) -> dict[int, str]:
    """{question id: typed text} from q1="5", q2="yes" …"""
    order = {q.order: q.pk for q in questions}
    return {order[int(key[1:])]: value for key, value in by_order.items()}
