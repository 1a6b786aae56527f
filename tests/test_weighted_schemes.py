"""The appraisal, KPI and objectives schemes end to end: seed, imports (all or nothing), scoring
from the database, privacy of raters, improvement plans before closing."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from kaohe.actions.appraisal import do_import_measures as import_measures
from kaohe.actions.appraisal import do_import_objectives as import_objectives
from kaohe.actions.appraisal import do_import_ratings as import_ratings
from kaohe.actions.schemes import do_load_scheme as load_scheme
from kaohe.actions.units import do_import_units as import_units
from kaohe.imports.errors import ImportRejected
from kaohe.models import Measurement, Rating, Round, Unit
from kaohe.services.scoring import score
from tests.conftest import fresh
from tests.imports.helpers import csv_bytes, xlsx_bytes

HEADER = "ratee,criterion,source,group,rater,rating,period\n"


@pytest.fixture
def employee(db):
    scheme = load_scheme("employee", 2026)
    import_units(csv_bytes("name,group,user\n张三,kefu,zhangsan\n李四,kefu,lisi\n陈静,kefu,chenjing\n"
                           "王芳,kefu,\n赵磊,kefu,\n"), "people.csv")
    return scheme


def codes(rejected) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.code) for e in rejected.value.errors]


def test_ratings_by_hand_from_the_database(employee):
    # 张三 on 3.1 (协作能力): quarterly A, B → (95 + 85) / 2 = 90; 360°: superior A (95), peers A, B, C
    # → (95 + 85 + 70) / 3 = 83.333…, subordinates none (left out) → (50 × 95 + 30 × 83.333…) / 80 = 90.625;
    # survey does not rate 3.1; spot does not rate 3.1; self-assessment missing → renormalised.
    # 3.1 = (30 × 90 + 25 × 90.625) / 55 = 90.284… → 90.28
    rows = HEADER + ("张三,3.1,quarterly,,陈静,A,2026-Q1\n张三,3.1,quarterly,,陈静,B,2026-Q2\n"
                     "张三,3.1,review360,superior,陈静,A,2026\n张三,3.1,review360,peer,李四,A,2026\n"
                     "张三,3.1,review360,peer,王芳,B,2026\n张三,3.1,review360,peer,赵磊,C,2026\n")
    outcome = import_ratings(csv_bytes(rows), "r.csv", employee)
    assert outcome.created == 6
    zhang = score(employee).unit("张三")
    assert zhang.items["3.1"].score == D("90.28")
    assert zhang.items["3"].score == D("90.28")  # 3.2 and 3.3 unrated: renormalised within 团队合作
    assert zhang.total == D("90.28")
    assert {"item": "3.1", "renormalised": ["self"]} in zhang.notes
    # importing the same rows again changes nothing
    again = import_ratings(csv_bytes(rows), "r.csv", employee)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_a_bad_ratings_file_imports_nothing_and_names_every_bad_row(employee):
    rows = HEADER + ("张三,3.1,quarterly,,陈静,A,2026-Q1\n"
                     "无名,3.1,quarterly,,陈静,A,2026-Q1\n"       # unknown ratee
                     "张三,9.9,quarterly,,陈静,A,2026-Q1\n"       # unknown criterion
                     "张三,3.1,review360,cousin,陈静,A,2026\n"    # unknown rater group
                     "张三,3.1,quarterly,,陈静,E,2026-Q1\n"       # not on the scale
                     "张三,3.1,quarterly,,陈静,101,2026-Q2\n"     # above 100
                     "张三,3.1,quarterly,,陈静,A,2026-H1\n"       # a quarterly source, a half-year period
                     "张三,3.1,quarterly,,陈静,B,2026-Q1\n"       # the same rater and period again
                     "张三,3.1,review360,peer,zhangsan,A,2026\n"  # rating oneself as a peer
                     "张三,3.3,survey,,客户1,90,2026-H1\n")       # the survey does not rate 3.3
    with pytest.raises(ImportRejected) as rejected:
        import_ratings(csv_bytes(rows), "r.csv", employee)
    assert codes(rejected) == [(3, "ratee", "unknown_unit"), (4, "criterion", "unknown_criterion"),
                               (5, "group", "unknown_group"), (6, "rating", "bad_rating"),
                               (7, "rating", "out_of_range"), (8, "period", "bad_period"),
                               (9, "rater", "duplicate_row"), (10, "rater", "rates_self"),
                               (11, "criterion", "not_rated_by_source")]
    assert Rating.objects.count() == 0


def test_ratings_from_xlsx_with_letters_and_full_width_codes(employee):
    data = xlsx_bytes([["ratee", "criterion", "source", "group", "rater", "rating", "period"],
                       ["张三", "１.１", "quarterly", None, "陈静", "ａ", "2026-Q1"],
                       ["张三", "1.1", "quarterly", None, "陈静", 88.5, "2026-Q2"]])
    import_ratings(data, "r.xlsx", employee)
    assert sorted(Rating.objects.values_list("value", "letter")) == [(D("88.50"), ""), (D("95.00"), "A")]


@pytest.fixture
def kpi(db):
    scheme = load_scheme("dept_kpi", 2026)
    import_units(csv_bytes("name,group\n销售部,sales\n生产部,production\n"), "depts.csv")
    return scheme


def test_department_kpis_from_an_import(kpi):
    rows = ("unit,indicator,target,actual,date\n"
            "销售部,sales.amount,8000,9000,2026-06-30\n销售部,sales.amount,8000,10400,2026-12-31\n"
            "销售部,sales.satisfaction,,91,2026-12-31\n销售部,sales.share,20,18,2026-12-31\n"
            "销售部,sales.new_customers,60,45,2026-12-31\n生产部,prod.energy,0.8,0.64,2026-12-31\n")
    import_measures(csv_bytes(rows), "kpi.csv", kpi)
    result = score(kpi)
    sales = result.unit("销售部")
    # 10400 / 8000 = 130 → capped 120; 91 → band 90; 18 / 20 = 90; 45 / 60 = 75
    assert [sales.items[c].score for c in ("1.1", "1.2", "1.3", "1.4")] == [D("120"), D("90"), D("90.00"),
                                                                             D("75.00")]
    assert sales.total == D("99.00")  # (40 × 120 + 20 × 90 + 20 × 90 + 20 × 75) / 100
    assert result.unit("生产部").items["2.4"].score == D("120")  # 0.8 / 0.64 = 125 % → capped 120
    mid = score(kpi, as_of=__import__("kaohe.scoring", fromlist=["AsOf"]).AsOf(2026, 6)).unit("销售部")
    assert mid.items["1.1"].score == D("112.50")  # the June value: 9000 / 8000


def test_a_kpi_without_its_target_is_refused(kpi):
    with pytest.raises(ImportRejected) as rejected:
        import_measures(csv_bytes("unit,indicator,actual,date\n销售部,sales.amount,9000,2026-12-31\n"
                                  "财务部,sales.share,1,2026-12-31\n销售部,sales.share,x,2026-13-01\n"), "k.csv", kpi)
    assert codes(rejected) == [(2, "target", "required"), (3, "unit", "unknown_unit"), (3, "target", "required"),
                               (4, "actual", "not_a_number"), (4, "target", "required"), (4, "date", "not_a_date")]
    assert Measurement.objects.count() == 0


@pytest.fixture
def mbo(db):
    return load_scheme("mbo", 2026)


def test_objectives_weights_must_add_to_100_under_each_parent(mbo):
    rows = ("code,name,weight,owner,target,kind,cap\n1,公司目标,100,公司经营班子,,,\n"
            "1.1,销售,60,销售部,8000,capped,120\n1.2,生产,30,生产部,98,ratio,\n")
    with translation.override("zh-hans"), pytest.raises(ImportRejected) as rejected:
        import_objectives(csv_bytes(rows), "tree.csv", mbo)
    error = rejected.value.errors[0]
    assert (error.line, error.column, error.code) == (3, "weight", "weights_not_100")
    assert "在 1 之下的权重合计为 90，不是 100" in error.message
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        import_objectives(csv_bytes(rows), "tree.csv", mbo)
    assert "under 1 add to 90, not 100" in rejected.value.errors[0].message
    assert mbo.indicators.count() == 17  # the tree is as it was


def test_an_objectives_tree_replaces_the_old_one_and_progress_rolls_up(mbo):
    rows = ("code,name,weight,owner,target,kind,cap,rule\n1,公司目标,100,公司经营班子,,,,\n"
            "1.1,销售额,70,销售部,8000,capped,120,sales\n1.2,能耗,30,王强,0.8,lower_better,120,energy\n")
    import_objectives(csv_bytes(rows), "tree.csv", mbo)
    import_measures(csv_bytes("indicator,actual,date\nsales,6000,2026-12-31\nenergy,1,2026-12-31\n"), "p.csv", mbo)
    result = score(mbo)
    assert result.unit("公司经营班子").total == D("76.50")  # (70 × 75 + 30 × 80) / 100
    assert result.unit("王强").total == D("80.00")
    assert {u.unit for u in result.units} == {"公司经营班子", "销售部", "王强"}  # owners only


def test_progress_names_the_owner_or_nothing(mbo):
    with pytest.raises(ImportRejected) as rejected:
        import_measures(csv_bytes("unit,indicator,actual,date\n李娜,t.feb,5,2026-02-28\n"), "p.csv", mbo)
    assert codes(rejected) == [(2, "unit", "not_the_owner")]


def test_the_score_command_speaks_json_for_every_scheme(mbo, capsys):
    import json

    call_command("score", "--scheme", "mbo-2026", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"scheme", "as_of", "year_end", "units", "grading"}
    assert {"unit", "total", "rank", "grade", "categories", "items", "explanation", "notes"} <= set(data["units"][0])


# ------------------------------------------------------------------ the Desk: who sees what


@pytest.fixture
def published(employee, django_user_model):
    from kaohe.actions.rounds import do_open_round
    from kaohe.models import Membership

    admin = django_user_model.objects.create_user("boss", password="x", is_staff=True)
    Membership.objects.create(user=admin, role="admin")
    collector = django_user_model.objects.create_user("hr", password="x")
    Membership.objects.create(user=collector, role="collector")
    rows = HEADER + ("张三,1.1,quarterly,,chenjing,A,2026-Q1\n李四,1.1,quarterly,,chenjing,D,2026-Q1\n"
                     "张三,3.1,review360,peer,lisi,B,2026\n")
    import_ratings(csv_bytes(rows), "r.csv", employee)
    round_ = do_open_round(employee, name="2026年度员工考核", acting_user=admin)
    # Straight to published (the route itself is tested with the town scheme): every sheet signed.
    round_.sheets.update(state="signed")
    Round.objects.filter(pk=round_.pk).update(published_at=timezone.now(), state="published")
    return Round.objects.get(pk=round_.pk), collector


def test_a_person_sees_their_own_result_without_raters_and_not_a_colleagues(client, published, django_user_model):
    round_, _collector = published
    zhang, li = Unit.objects.get(name="张三"), Unit.objects.get(name="李四")
    client.force_login(django_user_model.objects.get(username="zhangsan"))
    page = client.get(f"/rounds/{round_.pk}/units/{zhang.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "id=\"grade\"" in html
    assert "chenjing" not in html and "lisi" not in html  # who rated is never shown to the ratee
    assert client.get(f"/rounds/{round_.pk}/units/{li.pk}/").status_code == 403


def test_a_rater_sees_the_ratings_they_gave_and_only_those(client, published, django_user_model):
    client.force_login(django_user_model.objects.get(username="chenjing"))
    html = client.get("/my/ratings/").content.decode()
    assert html.count("<tr>") == 3  # header + two ratings chenjing gave
    client.force_login(django_user_model.objects.get(username="zhangsan"))
    html = client.get("/my/ratings/").content.decode()
    assert "chenjing" not in html and html.count("<tr>") == 0


def test_the_round_closes_only_once_every_failing_person_has_a_plan(published, django_user_model):
    from kaohe.actions.plans import do_save_plan
    from kaohe.actions.rounds import do_close_round
    from kaohe.refusals import NotAllowed
    from kaohe.refusals import Refused as RouteRefused

    round_, collector = published
    failing = [u.unit for u in score(round_.scheme).units if u.grade == "不合格"]
    assert failing == ["李四"]  # D = 50 on the only criterion rated
    with pytest.raises(RouteRefused) as refused:
        do_close_round(round_, acting_user=fresh(collector))
    assert refused.value.code == "ready_to_close"
    li = Unit.objects.get(name="李四")
    with pytest.raises(RouteRefused):
        do_save_plan(round_, li, actions="", owner="陈静", due=None, acting_user=fresh(collector))
    staff = django_user_model.objects.get(username="zhangsan")
    with pytest.raises(NotAllowed) as denied:
        do_save_plan(round_, li, actions="培训", owner="陈静", due=timezone.localdate(), acting_user=fresh(staff))
    assert denied.value.code == "plan_writers"
    do_save_plan(round_, li, actions="服务技能培训, 每月复查", owner="陈静", due=timezone.localdate(),
                 acting_user=fresh(collector))
    assert do_close_round(Round.objects.get(pk=round_.pk), acting_user=fresh(collector)) == "closed"


def test_a_scheme_file_whose_weights_miss_100_is_refused_with_the_family_named(tmp_path):
    from kaohe.services.seed import SchemeFileError, spec_from_file

    text = (Path(__file__).resolve().parent.parent / "fixtures" / "schemes" / "dept_kpi.toml").read_text("utf-8")
    broken = tmp_path / "kpi.toml"
    broken.write_text(text.replace('code = "1.4"\nname = "新客户开发(年度新增客户数)"\nweight = "20"',
                                   'code = "1.4"\nname = "新客户开发(年度新增客户数)"\nweight = "10"'), "utf-8")
    with pytest.raises(SchemeFileError) as refused:
        spec_from_file("dept_kpi", 2026, broken)
    assert "the weights under 1 add to 90, not 100 (1.1: 40 + 1.2: 20 + 1.3: 20 + 1.4: 10)" in str(refused.value)
