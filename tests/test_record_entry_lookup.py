"""One entry looks up its own unit and rule only: the same refusals as an import, at a cost that does not grow
with the number of units."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaohe.actions.ledger import EntryRejected, do_record_entry
from kaohe.models import Rule, Unit, UnitGroup

pytestmark = pytest.mark.django_db


def entry(unit="城关镇", rule="8.1.a", note="迟报"):
    return {"unit": unit, "rule": rule, "quantity": "1", "points": "", "date": "2026-03-10", "note": note}


def refused(town, admin, cells):
    with pytest.raises(EntryRejected) as caught:
        do_record_entry(town, cells=cells, acting_user=admin)
    return [(e.column, e.code) for e in caught.value.errors]


def test_the_same_refusals_as_an_import(town, people):
    from kaohe.actions.schemes import do_load_scheme as load_scheme

    admin = people["admin"]
    load_scheme("town", 2027)
    Rule.objects.filter(scheme=town, code="9.5.b").delete()
    assert refused(town, admin, entry(rule="9.5.b")) == [("rule", "rule_not_in_scheme")]
    assert refused(town, admin, entry(rule="99.z")) == [("rule", "unknown_rule")]
    assert refused(town, admin, entry(unit="无名镇")) == [("unit", "unknown_unit")]
    Unit.objects.filter(name="东山镇").update(active=False)
    assert refused(town, admin, entry(unit="东山镇")) == [("unit", "inactive_unit")]
    # a full-width rule code, as an IME types it, is the same rule
    made = do_record_entry(town, cells=entry(rule="８.１.ａ"), acting_user=admin)
    assert made.rule.code == "8.1.a"


def queries(town, admin, note):
    with CaptureQueriesContext(connection) as captured:
        do_record_entry(town, cells=entry(note=note), acting_user=admin)
    return [q["sql"] for q in captured.captured_queries]


def test_an_entry_reads_no_other_unit(town, people):
    admin = people["admin"]
    queries(town, admin, "first")  # the first write builds the stored totals
    before = queries(town, admin, "second")
    group = UnitGroup.objects.get(code="town")
    Unit.objects.bulk_create([Unit(name=f"新镇{n:03d}", group=group) for n in range(200)])
    after = queries(town, admin, "third")
    assert len(after) == len(before)
    unit_reads = [sql for sql in after if re.search(r'FROM [`"]?kaohe_unit[`"]?\s', sql) and "新镇" not in sql]
    assert unit_reads and all("WHERE" in sql for sql in unit_reads)
