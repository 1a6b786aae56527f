"""The stored per unit × rule totals and standings, kept current by every ledger and economy write, always equal
a full recompute from the ledger: after any sequence of entries, reversals and imports."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.actions.aggregates import do_recompute_scores
from kaohe.actions.economy import do_import_economy
from kaohe.actions.ledger import do_import_ledger, do_record_entry, do_reverse_entry
from kaohe.imports.errors import ImportRejected
from kaohe.imports.fields import fingerprint
from kaohe.models import ImportBatch, LedgerEntry, RuleTotal, ScoreState, Standing
from kaohe.refusals import Refused
from kaohe.scoring import AsOf
from kaohe.services.aggregates import stored_result
from kaohe.services.scoring import score

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_specs():
    """Ids repeat between rolled-back tests, so a spec remembered under its inputs mark must not carry over."""
    from kaohe.services import aggregates

    aggregates._specs.clear()

UNITS = ["城关镇", "东山镇", "西河镇", "南湖镇", "开发区", "县机械厂"]
# one of each kind the ledger feeds: once, per occurrence, a count threshold, a completion ratio, amounts, a veto
RULES = ["1.1.a", "1.3.a", "10.2.b", "5.b", "3.1.c", "7.a", "veto.accident"]
AMOUNTS = {"3.1.c": ["-3", "-1.5", "2.25", "3"], "7.a": ["-8", "-0.75", "0"]}
QUANTITIES = {"5.b": ["0", "0.3333", "0.5", "1"], "10.2.b": ["0", "1", "2", "3"]}

entry = st.tuples(st.sampled_from(UNITS), st.sampled_from(RULES), st.integers(0, 3), st.integers(1, 12),
                  st.integers(1, 28))
step = st.one_of(
    st.tuples(st.just("entry"), entry),
    st.tuples(st.just("reverse"), st.integers(0, 50)),
    st.tuples(st.just("import"), st.lists(entry, min_size=1, max_size=6)),
    st.tuples(st.just("economy"), st.integers(1, 12), st.lists(st.integers(50, 150), min_size=2, max_size=2)),
)


def cells(unit, rule, pick, month, day):
    quantity = QUANTITIES.get(rule, ["1", "2", "1", "3"])[pick]
    points = AMOUNTS[rule][pick % len(AMOUNTS[rule])] if rule in AMOUNTS else ""
    return {"unit": unit, "rule": rule, "quantity": "1" if points else quantity, "points": points,
            "date": f"2026-{month:02d}-{day:02d}", "note": f"n{pick}{month}{day}"}


def apply(scheme, admin, action):
    kind = action[0]
    try:
        if kind == "entry":
            do_record_entry(scheme, cells=cells(*action[1]), acting_user=admin)
        elif kind == "reverse":
            live = list(LedgerEntry.objects.filter(scheme=scheme, reverses__isnull=True, reversed_by__isnull=True)
                        .order_by("id"))
            if live:
                do_reverse_entry(live[action[1] % len(live)], reason="correction", acting_user=admin)
        elif kind == "import":
            lines = ["unit,rule,quantity,points,date,note"]
            lines += [",".join(cells(*e).values()) for e in action[1]]
            do_import_ledger(("\n".join(lines) + "\n").encode(), "rows.csv", scheme, acting_user=admin)
        else:
            month, (first, second) = action[1], action[2]
            text = f"unit,indicator,target,actual\n城关镇,output,100,{first}\n东山镇,revenue,100,{second}\n"
            do_import_economy(text.encode(), "economy.csv", scheme, AsOf(2026, month), acting_user=admin)
    except (Refused, ImportRejected):
        pass  # a refused write (a repeated row in one file, say) writes nothing; the check below still holds


def totals(scheme):
    return sorted(RuleTotal.objects.filter(scheme=scheme).values_list("unit_id", "rule_id", "month", "count",
                                                                      "quantity", "points"))


def same(stored, full):
    """Every unit's total, item scores, veto, rank and prize agree exactly."""
    assert stored is not None
    assert [u.unit for u in stored.units] == [u.unit for u in full.units]
    for mine, theirs in zip(stored.units, full.units, strict=True):
        assert (mine.total, mine.vetoed, mine.rank, mine.prize) == (theirs.total, theirs.vetoed, theirs.rank,
                                                                    theirs.prize), mine.unit
        assert {c: i.score for c, i in mine.items.items()} == {c: i.score for c, i in theirs.items.items()}
        assert mine.categories == theirs.categories


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=8))
def test_incremental_state_equals_a_full_recompute(town, people, steps):
    admin = people["admin"]
    do_recompute_scores(town, months=[6])  # standings kept for June and December
    for action in steps:
        apply(town, admin, action)
    incremental = totals(town)
    for as_of in (AsOf(2026, 6), AsOf(2026, 12)):
        same(stored_result(town, as_of), score(town, as_of=as_of, explain=False))
        same(score(town, as_of=as_of, explain=False, stored=True), score(town, as_of=as_of, explain=False))
    do_recompute_scores(town)
    assert incremental == totals(town)


def test_one_entry_adds_to_its_month_and_every_later_one(town, people):
    do_recompute_scores(town)
    do_record_entry(town, cells=cells("城关镇", "1.3.a", 2, 3, 5), acting_user=people["admin"])  # quantity 1
    do_record_entry(town, cells=cells("城关镇", "3.1.c", 2, 5, 1), acting_user=people["admin"])  # 2.25 points
    rows = {(rule, month): (count, quantity, points) for rule, month, count, quantity, points in
            RuleTotal.objects.filter(scheme=town, unit__name="城关镇").values_list(
                "rule__code", "month", "count", "quantity", "points")}
    assert sorted(m for r, m in rows if r == "1.3.a") == list(range(3, 13))
    assert rows[("1.3.a", 3)] == rows[("1.3.a", 12)] == (1, 10000, 0)
    assert sorted(m for r, m in rows if r == "3.1.c") == list(range(5, 13))
    assert rows[("3.1.c", 7)] == (1, 10000, 22500)


def test_a_reversal_cancels_in_the_totals_and_the_ranking(town, people):
    do_recompute_scores(town)
    admin = people["admin"]
    first = do_record_entry(town, cells=cells("东山镇", "7.a", 0, 4, 2), acting_user=admin)  # -8 points
    assert RuleTotal.objects.get(scheme=town, unit__name="东山镇", rule__code="7.a", month=12).points == -80000
    before = stored_result(town).unit("东山镇").total
    do_reverse_entry(first, reason="wrong unit", acting_user=admin)
    total = RuleTotal.objects.get(scheme=town, unit__name="东山镇", rule__code="7.a", month=12)
    assert (total.count, total.quantity, total.points) == (2, 0, 0)
    assert stored_result(town).unit("东山镇").total == before + Decimal(8)
    same(stored_result(town), score(town, explain=False))


def test_a_row_written_outside_the_actions_makes_the_stored_state_unused_until_recomputed(town, people):
    do_recompute_scores(town)
    assert stored_result(town) is not None
    LedgerEntry.objects.create(scheme=town, unit=people["town"].memberships.get().unit, rule=town.rules.get(
        code="1.3.a"), quantity=1, date="2026-02-02")
    assert stored_result(town) is None
    assert ScoreState.objects.get(scheme=town).ledger_high < LedgerEntry.objects.latest("id").pk
    do_recompute_scores(town)
    same(stored_result(town), score(town, explain=False))
    assert Standing.objects.filter(scheme=town, month=12).count() == 6


def test_score_recompute_rebuilds_the_stored_state_and_prints_the_same_ranking(town, people):
    import io

    from django.core.management import call_command

    def run(*extra):
        out = io.StringIO()
        call_command("score", "--scheme", "town-2026", "--format", "csv", *extra, stdout=out)
        return out.getvalue()

    do_record_entry(town, cells=cells("西河镇", "7.a", 1, 2, 3), acting_user=people["admin"])  # builds the state
    RuleTotal.objects.filter(scheme=town).update(count=99)  # spoil it: only a recompute can repair this
    recomputed = run("--recompute", "--as-of", "2026-09")
    assert ScoreState.objects.get(scheme=town).months == "9,12"
    assert set(RuleTotal.objects.filter(scheme=town).values_list("count", flat=True)) == {1}
    assert run("--as-of", "2026-09") == recomputed
    assert "西河镇" in recomputed


def test_the_ranking_lookup_matches_a_full_recompute(town, people):
    from kaohe.services.aggregates import stored_ranking

    admin = people["admin"]
    do_recompute_scores(town)
    for unit, pick in [("城关镇", 0), ("东山镇", 1), ("西河镇", 3)]:
        do_record_entry(town, cells=cells(unit, "3.1.c", pick, 3, 1), acting_user=admin)
    looked_up = {r["unit"]: (r["total"], r["rank"], r["prize"]) for r in stored_ranking(town)}
    full = score(town, explain=False)
    assert looked_up == {u.unit: (u.total, u.rank, u.prize) for u in full.units}
    assert looked_up["西河镇"][1] == 1  # +3 points: first of the towns


def test_ranking_keys_sort_as_their_decimals():
    from kaohe.actions.aggregates import ranking_key

    values = [Decimal("-8.5"), Decimal("-0.0001"), Decimal(0), Decimal("0.0001"), Decimal("99.99"), Decimal(100)]
    keys = [ranking_key([v, Decimal(1)]) for v in values]
    assert keys == sorted(keys)
    assert ranking_key([Decimal("1.50")]) == ranking_key([Decimal("1.5")])
    with pytest.raises(ValueError):
        ranking_key([Decimal("1e-11")])


def test_amounts_set_on_a_sheet_reach_the_stored_totals(round_, people):
    from kaohe.actions.sheets import AmountChange, do_set_amounts
    from kaohe.models import ScoreSheet

    town = round_.scheme
    do_recompute_scores(town)
    sheet = ScoreSheet.objects.get(round=round_, section__code="anquan", unit__name="城关镇")
    rule = town.rules.get(code="7.a")
    for points in (Decimal(-3), Decimal("-1.5")):  # the second reverses the first and states the new amount
        sheet.refresh_from_db()
        do_set_amounts([AmountChange(sheet, rule, points, "late", sheet.version)], acting_user=people["staff2"])
    total = RuleTotal.objects.get(scheme=town, unit__name="城关镇", rule=rule, month=12)
    assert (total.count, total.points) == (3, -15000)
    same(stored_result(town), score(town, explain=False))


def test_a_large_file_with_a_few_rows_already_imported_writes_and_counts_only_the_new_ones(town, people):
    do_recompute_scores(town)
    header = "unit,rule,quantity,points,date,note\n"
    first = do_import_ledger(f"{header}城关镇,8.1.a,1,,2026-03-05,n1\n".encode(), "a.csv", town)
    # 1,001 rows, the one already imported second: looked up only after the others are written
    data = header + "".join(f"城关镇,8.1.a,1,,2026-03-05,n{n}\n" for n in range(1001))
    more = do_import_ledger(data.encode(), "b.csv", town)
    assert (more.created, more.unchanged, more.duplicate_of) == (1000, 1, first.batch_id)
    batch = ImportBatch.objects.get(pk=more.batch_id)
    mine = LedgerEntry.objects.filter(batch=batch).values_list("identity", flat=True)
    assert batch.row_count == 1000 == len(mine)
    assert batch.fingerprint == fingerprint("ledger", town.code, sorted((i,) for i in mine))
    incremental = totals(town)
    do_recompute_scores(town)
    assert incremental == totals(town)
