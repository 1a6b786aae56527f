"""Migrations 0019 and 0020 on a database holding data from before them.

0019 makes the stored totals' table anew and sums them again from the ledger, keeping the standings and
the state that says they are current; 0020 shortens every imported row's identity to the 128 bits a new
import computes, so a row imported before is still recognised, and backward computes the whole digest again.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kaohe.doctype.ledger import row_identity

BEFORE = [("kaohe", "0018_project_evaluation")]
AFTER = [("kaohe", "0020_ledger_identity_128_bits")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_identities_and_totals_survive_the_migrations():
    import hashlib

    old = _migrate(BEFORE)
    scheme = old.get_model("kaohe", "Scheme").objects.create(code="town-2026", name="乡镇考核", year=2026)
    group = old.get_model("kaohe", "UnitGroup").objects.create(code="town", name="乡镇")
    unit = old.get_model("kaohe", "Unit").objects.create(name="城关镇", group=group)
    rule = old.get_model("kaohe", "Rule").objects.create(scheme=scheme, code="1.a", name="迟报", kind="per_occurrence")
    text = "\x1f".join([str(unit.pk), str(rule.pk), "2026-03-01", "2", "-", "迟报"])
    full = hashlib.sha256(text.encode("utf-8")).hexdigest()
    entry = old.get_model("kaohe", "LedgerEntry").objects.create(
        scheme=scheme, unit=unit, rule=rule, quantity=D(2), date=date(2026, 3, 1), note="迟报", identity=full)
    typed = old.get_model("kaohe", "LedgerEntry").objects.create(
        scheme=scheme, unit=unit, rule=rule, quantity=D(1), date=date(2026, 3, 2), note="")  # typed in: no identity
    old.get_model("kaohe", "RuleTotal").objects.create(scheme=scheme, unit=unit, rule=rule, month=12, count=2,
                                                       quantity=30000, points=0)
    old.get_model("kaohe", "ScoreState").objects.create(scheme=scheme, inputs="x", ledger_high=typed.pk, months="6,12")
    other = old.get_model("kaohe", "Scheme").objects.create(code="town-2025", name="乡镇考核", year=2025)
    old.get_model("kaohe", "LedgerEntry").objects.create(  # a scheme whose totals were never built
        scheme=other, unit=unit, rule=rule, quantity=D(1), date=date(2025, 3, 1), note="")

    try:
        new = _migrate(AFTER)
        Entry = new.get_model("kaohe", "LedgerEntry")
        assert Entry.objects.get(pk=entry.pk).identity == full[:32] == row_identity(
            unit.pk, rule.pk, date(2026, 3, 1), D(2), None, "迟报")
        assert Entry.objects.get(pk=typed.pk).identity is None
        # The totals were summed again from the ledger (2 + 1 in March, so from March on), the state kept.
        totals = new.get_model("kaohe", "RuleTotal").objects
        assert sorted(totals.values_list("scheme_id", "month", "unit_id", "rule_id", "count", "quantity", "points")) \
            == [(scheme.pk, month, unit.pk, rule.pk, 2, 30000, 0) for month in range(3, 13)]
        assert totals.get(scheme_id=scheme.pk, month=12).pk == (scheme.pk, 12, unit.pk, rule.pk)
        assert new.get_model("kaohe", "ScoreState").objects.get().months == "6,12"
        # Back to the code from before: it computes whole digests, so the rows get theirs back.
        back = _migrate([("kaohe", "0019_rule_total_keyed_by_month")])
        assert back.get_model("kaohe", "LedgerEntry").objects.get(pk=entry.pk).identity == full
        assert back.get_model("kaohe", "LedgerEntry").objects.get(pk=typed.pk).identity is None
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the latest for later tests
