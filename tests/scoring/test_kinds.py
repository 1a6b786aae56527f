"""Each rule kind on the town scheme, with results worked out by hand."""

from decimal import Decimal as D

from kaohe.scoring import AsOf, Band, ItemSpec, Kind, Row, RuleSpec, SchemeSpec, Tally, UnitFact, score_scheme

from .helpers import TOWN, full_figures, rows, town_units

YEAR_END = AsOf(2026, 12)


def score_one(*tallies, figures=None, as_of=YEAR_END):
    figures = full_figures("甲镇") if figures is None else figures
    return score_scheme(TOWN, town_units("甲镇"), list(tallies), figures, as_of).unit("甲镇")


def item(result, code):
    return result.items[code].score


def test_no_rows_scores_the_full_base():
    result = score_one()
    assert result.total == D(100)
    assert sum(result.categories.values()) == D(100)


def test_one_off_applies_once_however_many_rows():
    """1.1.a: not broken down → 2 − 2 = 0, even when recorded twice."""
    result = score_one(rows("甲镇", "1.1.a", 1, 1))
    assert item(result, "1.1") == D(0)
    assert result.categories["1"] == D(8)


def test_one_off_cancelled_by_its_reversal():
    tally = Tally.of("甲镇", "1.1.a", (Row(1, "2026-03-01", D(1)), Row(2, "2026-03-05", D(-1))))
    assert item(score_one(tally), "1.1") == D(2)


def test_per_occurrence_deduction():
    """8.1.a: three late reports → 6 − 3 × 0.5 = 4.5; category 8 = 4.5 + 5 + 5 + 4 + 2 = 20.5."""
    result = score_one(rows("甲镇", "8.1.a", 3))
    assert item(result, "8.1") == D("4.5")
    assert result.categories["8"] == D("20.5")
    assert result.total == D("98.5")


def test_per_occurrence_two_rates_in_one_item():
    """8.3: one missing (−2) and two late (−1 each) → 5 − 2 − 2 = 1."""
    result = score_one(rows("甲镇", "8.3.a", 1), rows("甲镇", "8.3.b", 2))
    assert item(result, "8.3") == D(1)


def test_per_occurrence_bonuses_are_uncapped():
    """1.3: two new ≥100M enterprises (+5) and one ≥50M (+3) → 13; category 1 = 2 + 8 + 13."""
    result = score_one(rows("甲镇", "1.3.a", 2), rows("甲镇", "1.3.b", 1))
    assert item(result, "1.3") == D(13)
    assert result.categories["1"] == D(23)
    assert result.total == D(113)


def test_net_per_occurrence_gains_and_losses_offset():
    """2: three new "123" enterprises, one lost → 5 + 6 − 2 = 9."""
    assert item(score_one(rows("甲镇", "2.a", 3), rows("甲镇", "2.b", 1)), "2") == D(9)


def test_net_per_occurrence_stops_at_the_floor():
    """2: one new, four lost → 5 + 2 − 8 = −1, floored to 0, and the floor is explained."""
    result = score_one(rows("甲镇", "2.a", 1), rows("甲镇", "2.b", 4))
    assert result.items["2"].raw == D(-1)
    assert item(result, "2") == D(0)
    assert result.items["2"].lines[-1].source == "floor"
    assert result.items["2"].lines[-1].effect == D(1)


def test_tiered_each_row_earns_its_band():
    """Rows of 120M, 60M and 10M against bands ≥50M → 3, ≥100M → 5: 5 + 3 + 0 = 8."""
    spec = SchemeSpec(
        code="t", year=2026,
        items=(ItemSpec("1", "big", D(0)),),
        rules=(RuleSpec("1.a", Kind.TIERED, "1", bands=(Band(D(50_000_000), D(3)), Band(D(100_000_000), D(5)))),),
    )
    tally = rows("甲", "1.a", 120_000_000, 60_000_000, 10_000_000)
    result = score_scheme(spec, [UnitFact("甲", "g")], [tally]).unit("甲")
    assert result.items["1"].score == D(8)


def test_proportional_deducts_the_missing_share():
    """5.b: 60% of the new-registration task → −2 × 0.4 = −0.8 → 1.2."""
    assert item(score_one(rows("甲镇", "5.b", "0.6")), "5") == D("1.2")


def test_proportional_uses_the_latest_row_and_rounds_half_up():
    """5.b: March 0.2 then September 0.333 → −2 × 0.667 = −1.334 → −1.33; with 5.a −1 → −0.33 → 0."""
    tally = Tally.of("甲镇", "5.b", (Row(7, "2026-09-30", D("0.333")), Row(3, "2026-03-31", D("0.2"))))
    result = score_one(tally)
    assert item(result, "5") == D("0.67")
    assert result.items["5"].lines[0].detail["used_row"] == 7
    both = score_one(tally, rows("甲镇", "5.a", 1))
    assert both.items["5"].raw == D("-0.33")
    assert item(both, "5") == D(0)


def test_count_threshold_bands():
    """10.2.b: fewer than 5 items → −2; 5 or 6 → −1; 7 or more → 0."""
    expected = {0: D(1), 4: D(1), 5: D(2), 6: D(2), 7: D(3), 12: D(3)}
    for count, score in expected.items():
        assert item(score_one(rows("甲镇", "10.2.b", count)), "10.2") == score, count


def test_count_threshold_adds_up_quarterly_counts():
    """Quarterly counts 2 + 2 + 1 = 5 → −1; plus no research article (10.2.a) −1 → 3 − 2 = 1."""
    result = score_one(rows("甲镇", "10.2.b", 2, 2, 1), rows("甲镇", "10.2.a", 1))
    assert item(result, "10.2") == D(1)


def test_discretionary_takes_the_entered_points():
    """7.a: −3 with a reason → 8 − 3 = 5; 3.1.c may add: +2.5 → 10.5."""
    assert item(score_one(rows("甲镇", "7.a", 1, points="-3", note="台帐不全")), "7") == D(5)
    assert item(score_one(rows("甲镇", "3.1.c", 1, points="2.5", note="超额")), "3.1") == D("10.5")


def test_discretionary_total_is_held_to_the_range():
    """7.a: two rows of −5 add to −10, held to −8 → 0, and the entered total is shown."""
    result = score_one(rows("甲镇", "7.a", 1, 1, points="-5", note="x"))
    line = result.items["7"].lines[0]
    assert line.effect == D(-8)
    assert line.detail["entered"] == D(-10)
    assert item(result, "7") == D(0)


def test_floor_stops_deductions_at_zero():
    """9.6.a: two complaints → 3 − 6 = −3 → 0; the category keeps the other items."""
    result = score_one(rows("甲镇", "9.6.a", 2))
    assert item(result, "9.6") == D(0)
    assert result.categories["9"] == D(15)


def test_no_floor_and_a_cap_when_configured():
    spec = SchemeSpec(
        code="t", year=2026,
        items=(ItemSpec("1", "a", D(2), floor=None), ItemSpec("2", "b", D(2), cap=D(3))),
        rules=(RuleSpec("1.a", Kind.PER_OCCURRENCE, "1", amount=D(-1)),
               RuleSpec("2.a", Kind.PER_OCCURRENCE, "2", amount=D(1))),
    )
    result = score_scheme(spec, [UnitFact("甲", "g")], [rows("甲", "1.a", 5), rows("甲", "2.a", 4)]).unit("甲")
    assert result.items["1"].score == D(-3)
    assert result.items["2"].raw == D(6)
    assert result.items["2"].score == D(3)
    assert result.total == D(0)


def test_explanation_lists_the_rows_behind_each_item():
    result = score_one(rows("甲镇", "8.1.a", 1, 2, note="迟报"))
    line = result.items["8.1"].lines[0]
    assert line.rule == "8.1.a"
    assert line.effect == D("-1.5")
    assert [r["quantity"] for r in line.detail["rows"]] == [D(1), D(2)]
    assert line.detail["rows"][0]["note"] == "迟报"
