"""Ledger import: every bad row named, nothing written unless every row is good, no double count."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.actions.ledger import do_import_ledger as import_ledger
from kaohe.doctype.ledger import row_identities, row_identity
from kaohe.imports.errors import ImportRejected
from kaohe.imports.fields import fingerprint, hex_fingerprint
from kaohe.imports.ledger import LedgerRow
from kaohe.models import ImportBatch, LedgerEntry
from kaohe.services.scoring import score

from .helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = "unit,rule,quantity,points,date,note\n"


def rejected(town, text: str, filename="ledger.csv"):
    with pytest.raises(ImportRejected) as caught:
        import_ledger(csv_bytes(text), filename, town)
    assert LedgerEntry.objects.count() == 0
    return [(e.line, e.column, e.value, e.code) for e in caught.value.errors]


def test_good_rows_are_imported_with_their_values(town, units):
    outcome = import_ledger(csv_bytes(HEADER + "城关镇,8.1.a,2,,2026-03-05,迟报\n东山镇,7.a,,-2.5,2026/6/1,台帐缺\n"),
                            "a.csv", town)
    assert outcome.created == 2 and outcome.batch_id is not None
    late, safety = LedgerEntry.objects.order_by("id")
    assert (late.unit.name, late.rule.code, late.quantity, late.points, late.date) == (
        "城关镇", "8.1.a", D(2), None, date(2026, 3, 5))
    assert (safety.quantity, safety.points, safety.note) == (D(1), D("-2.5"), "台帐缺")
    assert safety.batch_id == outcome.batch_id


def test_every_bad_row_is_named_and_nothing_is_imported(town, units):
    errors = rejected(town, HEADER + "\n".join([
        "城关镇,8.1.a,1,,2026-01-10,ok",         # line 2: fine, still not imported
        "无名镇,8.1.a,1,,2026-01-10,",           # 3 unknown unit
        "城关镇,99.z,1,,2026-01-10,",            # 4 unknown rule code
        "城关镇,8.1.a,abc,,2026-01-10,",         # 5 not a number
        "城关镇,8.1.a,-2,,2026-01-10,",          # 6 negative count
        "城关镇,7.a,,-9,2026-01-10,太差",        # 7 outside the range
        "城关镇,7.a,,-3,2026-01-10,",            # 8 no reason
        "城关镇,8.1.a,1,,2025-12-31,",           # 9 outside the year
        "城关镇,8.1.a,1.5,,2026-01-10,",         # 10 not whole
        "城关镇,5.b,1.2,,2026-01-10,",           # 11 ratio above 1
        "城关镇,1.2.a,1,,2026-01-10,",           # 12 computed rule
        "城关镇,8.1.a,1,-1,2026-01-10,",         # 13 points on a counted rule
        "城关镇,7.a,,,2026-01-10,x",             # 14 discretionary without points
        "城关镇,8.1.a,1,,2026-02-30,",           # 15 no such day
        ",8.1.a,1,,,",                           # 16 no unit, no date
    ]) + "\n")
    assert errors == [
        (3, "unit", "无名镇", "unknown_unit"),
        (4, "rule", "99.z", "unknown_rule"),
        (5, "quantity", "abc", "not_a_number"),
        (6, "quantity", "-2", "negative_count"),
        (7, "points", "-9", "out_of_range"),
        (8, "note", "", "missing_note"),
        (9, "date", "2025-12-31", "date_outside_year"),
        (10, "quantity", "1.5", "not_whole"),
        (11, "quantity", "1.2", "ratio_out_of_range"),
        (12, "rule", "1.2.a", "computed_rule"),
        (13, "points", "-1", "points_not_allowed"),
        (14, "points", "", "missing_points"),
        (15, "date", "2026-02-30", "not_a_date"),
        (16, "unit", "", "required"),
        (16, "date", "", "required"),
    ]


def test_cells_accepted_in_an_earlier_row_are_checked_again_with_the_rest_of_their_row(town, units):
    errors = rejected(town, HEADER + "\n".join([
        "城关镇,7.a,,-2.5,2026-01-10,台帐缺",    # line 2: fine
        "城关镇,5.b,0.5,,2026-01-10,",           # 3 fine: a ratio
        "城关镇,7.a,,-2.5,2026-01-10,",          # 4 the same amount, but no reason
        "城关镇,8.1.a,0.5,,2026-01-10,",         # 5 the same quantity, on a counted rule
        "城关镇,8.1.a,,-2.5,2026-01-10,x",       # 6 the same points, on a counted rule
    ]) + "\n")
    assert errors == [(4, "note", "", "missing_note"), (5, "quantity", "0.5", "not_whole"),
                      (6, "points", "-2.5", "points_not_allowed")]


def test_rule_of_another_scheme_is_named_as_such(town, units):
    from kaohe.actions.schemes import do_load_scheme as load_scheme

    load_scheme("town", 2027)
    from kaohe.models import Rule

    Rule.objects.filter(scheme=town, code="9.5.b").delete()
    assert rejected(town, HEADER + "城关镇,9.5.b,,-1,2026-01-10,x\n") == [(2, "rule", "9.5.b", "rule_not_in_scheme")]


def test_header_problems(town, units):
    assert rejected(town, "unit,rule,rule,date\n城关镇,8.1.a,8.1.a,2026-01-01\n") == [
        (1, "rule", "rule", "duplicate_header")]
    assert rejected(town, "unit,quantity,date\n城关镇,1,2026-01-01\n") == [(1, "rule", "", "missing_column")]
    assert rejected(town, "unit,rule,date,colour\n城关镇,8.1.a,2026-01-01,red\n") == [
        (1, "colour", "colour", "unknown_column")]
    assert rejected(town, "") == [(1, "", "", "empty")]


def test_message_names_line_column_value_and_why(town, units):
    with pytest.raises(ImportRejected) as caught:
        import_ledger(csv_bytes(HEADER + "城关镇,8.1.a,abc,,2026-01-10,\n"), "a.csv", town)
    assert str(caught.value.errors[0]) == "line 2, column quantity, value 'abc': not a number"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_from_excel_and_wps(town, units, encoding):
    outcome = import_ledger(csv_bytes(HEADER + "西河镇,9.6.a,1,,2026-04-01,企业投诉\n", encoding), "a.csv", town)
    assert outcome.created == 1
    assert LedgerEntry.objects.get().note == "企业投诉"


def test_full_width_input_is_understood_and_notes_are_kept_as_typed(town, units):
    text = HEADER + "城关镇,８．１．ａ,２,,２０２６年３月５日,\"迟报，两次（补报）\"\n"
    import_ledger(csv_bytes(text, "gb18030"), "a.csv", town)
    entry = LedgerEntry.objects.get()
    assert (entry.rule.code, entry.quantity, entry.date) == ("8.1.a", D(2), date(2026, 3, 5))
    assert entry.note == "迟报，两次（补报）"


def test_xlsx_with_real_dates_and_numbers(town, units):
    data = xlsx_bytes([
        ["unit", "rule", "quantity", "points", "date", "note"],
        ["南湖镇", "8.1.a", 3, None, datetime(2026, 4, 1), "迟报"],
        ["南湖镇", "3.1.c", None, -0.5, "2026-05-01", "技改进度慢"],
    ])
    assert import_ledger(data, "台账.xlsx", town).created == 2
    assert sorted(LedgerEntry.objects.values_list("quantity", "points")) == [(D(1), D("-0.5")), (D(3), None)]


def test_xlsx_errors_name_the_spreadsheet_line(town, units):
    data = xlsx_bytes([["unit", "rule", "quantity", "date"], ["南湖镇", "8.1.a", "x", "2026-01-01"]])
    with pytest.raises(ImportRejected) as caught:
        import_ledger(data, "a.xlsx", town)
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "quantity")]


def test_reimporting_the_same_rows_does_not_double_count(town, units):
    text = HEADER + "城关镇,8.1.a,2,,2026-03-05,迟报\n"
    first = import_ledger(csv_bytes(text), "a.csv", town)
    again = import_ledger(csv_bytes(text, "gb18030"), "a-copy.csv", town)
    assert again.duplicate_of == first.batch_id
    assert LedgerEntry.objects.count() == 1
    assert ImportBatch.objects.filter(kind="ledger").count() == 1
    assert score(town).unit("城关镇").items["8.1"].score == D(5)


def test_the_same_rows_in_another_order_are_not_imported_again(town, units):
    rows = ["城关镇,8.1.a,1,,2026-03-05,迟报\n", "东山镇,8.1.a,2,,2026-03-06,迟报\n",
            "西河镇,7.a,,-1,2026-04-01,台帐\n"]
    first = import_ledger(csv_bytes(HEADER + "".join(rows)), "a.csv", town)
    again = import_ledger(csv_bytes(HEADER + "".join(reversed(rows))), "b.csv", town)
    assert (again.created, again.unchanged, again.duplicate_of, again.batch_id) == (0, 3, first.batch_id, None)
    assert LedgerEntry.objects.count() == 3
    assert "already in the ledger" in again.summary()


def test_a_file_that_adds_one_row_imports_only_that_row(town, units):
    old = "城关镇,8.1.a,1,,2026-03-05,迟报\n东山镇,8.1.a,2,,2026-03-06,迟报\n"
    first = import_ledger(csv_bytes(HEADER + old), "a.csv", town)
    more = import_ledger(csv_bytes(HEADER + "南湖镇,8.1.a,1,,2026-03-07,迟报\n" + old), "b.csv", town)
    assert (more.created, more.unchanged, more.duplicate_of) == (1, 2, first.batch_id)
    assert LedgerEntry.objects.count() == 3
    assert sorted(LedgerEntry.objects.values_list("batch_id", flat=True)) == sorted(
        [first.batch_id, first.batch_id, more.batch_id])


def test_a_row_repeated_in_one_file_is_refused_by_name_and_quantity_two_is_the_way(town, units):
    row = "城关镇,8.1.a,1,,2026-03-05,迟报\n"
    with pytest.raises(ImportRejected) as caught:
        import_ledger(csv_bytes(HEADER + row + row), "a.csv", town)
    assert [(e.line, e.code) for e in caught.value.errors] == [(3, "duplicate_row")]
    assert "line 2" in caught.value.errors[0].message
    assert not LedgerEntry.objects.exists()
    twice = import_ledger(csv_bytes(HEADER + "城关镇,8.1.a,2,,2026-03-05,迟报\n"), "b.csv", town)
    apart = import_ledger(csv_bytes(HEADER + "城关镇,8.1.a,1,,2026-03-05,迟报（上午）\n"
                                   "城关镇,8.1.a,1,,2026-03-05,迟报（下午）\n"), "c.csv", town)
    assert (twice.created, apart.created) == (1, 2)
    quantities = LedgerEntry.objects.filter(unit__name="城关镇", rule__code="8.1.a").values_list("quantity", flat=True)
    assert sum(quantities) == 4  # two on the row with quantity 2, two told apart by their notes


ROW = st.tuples(
    st.sampled_from(["城关镇", "东山镇", "无名镇"]),
    st.sampled_from(["8.1.a", "7.a", "5.b", "zz"]),
    st.sampled_from(["1", "2", "0.5", "-1", "x", ""]),
    st.sampled_from(["", "-1", "-20"]),
    st.sampled_from(["2026-02-01", "2025-02-01", "bad"]),
    st.sampled_from(["", "理由"]),
)


# The fixtures are shared across examples on purpose: each example compares against the state it found.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=8))
def test_a_rejected_import_changes_no_score(town, units, rows):
    import_ledger(csv_bytes(HEADER + "东山镇,8.1.a,1,,2026-01-01,基线\n"), "base.csv", town)
    before = score(town).as_dict()
    count = LedgerEntry.objects.count()
    text = HEADER + "".join(",".join(r) + "\n" for r in rows)
    try:
        outcome = import_ledger(csv_bytes(text), "fuzz.csv", town)
    except ImportRejected as rejected_import:
        assert rejected_import.errors
        assert LedgerEntry.objects.count() == count
        assert score(town).as_dict() == before
    else:
        assert LedgerEntry.objects.count() == count + outcome.created
        assert outcome.created + outcome.unchanged == len(rows)


def test_the_identities_of_many_rows_are_each_rows_own():
    rows = [LedgerRow(unit, rule, quantity, points, day, note, ())
            for unit, rule in ((1, 2), (12, 1))
            for quantity in (D(1), D("1.0"), D(0), D("-0"), D("2.5000"), D(10))
            for points in (None, D(0), D("-0.0"), D("-2.5"))
            for day in (date(2026, 1, 1), date(2026, 12, 31))
            for note in ("", " 迟报 ")]
    assert row_identities(rows) == [row_identity(r.unit_id, r.rule_id, r.date, r.quantity, r.points, r.note)
                                     for r in rows]


def test_the_fingerprint_of_digests_is_the_fingerprint_of_their_rows():
    digests = sorted(row_identity(1, n, date(2026, 1, 1), D(1), None, "") for n in range(3))
    for scope in ("town-2026", '镇"2026'):
        for chosen in (digests, digests[:1], []):
            assert hex_fingerprint("ledger", scope, chosen) == fingerprint("ledger", scope, [(d,) for d in chosen])
