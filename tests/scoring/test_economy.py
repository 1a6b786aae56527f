"""1.2 against time-proportional progress (序时进度) and the economic veto, by hand."""

from decimal import Decimal as D

from kaohe.scoring import AsOf, Figure, score_scheme

from .helpers import TOWN, full_figures, rows, town_units

YEAR_END = AsOf(2026, 12)


def score_one(figures, as_of=YEAR_END, *tallies):
    return score_scheme(TOWN, town_units("甲镇"), list(tallies), figures, as_of).unit("甲镇")


def test_year_end_all_targets_met_scores_eight():
    result = score_one(full_figures("甲镇"))
    assert result.items["1.2"].score == D(8)
    assert not result.vetoed and result.veto_reasons == ()


def test_year_end_shortfall_scores_the_ratio_and_vetoes():
    """output 500 of 1000 → 1.6 × 0.5 = 0.8; the rest 4 × 1.6 → 1.2 = 7.2; output is in the veto set."""
    result = score_one(full_figures("甲镇", output=D(500)))
    assert result.items["1.2"].score == D("7.2")
    assert result.total == D("99.2")
    assert result.vetoed
    assert [r["indicator"] for r in result.veto_reasons] == ["output"]


def test_overachievement_counts_as_complete():
    assert score_one(full_figures("甲镇", profit=D(5000))).items["1.2"].score == D(8)


def test_investment_shortfall_costs_points_but_is_not_in_the_veto_set():
    """investment 250 of 1000 → 1.6 × 0.25 = 0.4 → 1.2 = 6.8, and no veto by default."""
    result = score_one(full_figures("甲镇", investment=D(250)))
    assert result.items["1.2"].score == D("6.8")
    assert not result.vetoed


def test_exactly_on_target_is_not_vetoed_and_a_hair_below_is():
    assert not score_one(full_figures("甲镇", revenue=D(1000))).vetoed
    assert score_one(full_figures("甲镇", revenue=D("999.9999"))).vetoed


def test_mid_year_expected_is_the_time_proportional_target():
    """June: expected 1000 × 6/12 = 500; output 450 → 0.9 × 1.6 = 1.44; others on track → 7.84."""
    figures = full_figures("甲镇", month=6, output=D(450))
    result = score_one(figures, AsOf(2026, 6))
    line = next(ln for ln in result.items["1.2"].lines if ln.detail["indicator"] == "output")
    assert line.detail["expected"] == D(500)
    assert line.detail["points"] == D("1.44")
    assert result.items["1.2"].score == D("7.84")


def test_mid_year_shows_risk_instead_of_vetoing():
    result = score_one(full_figures("甲镇", month=6, output=D(450)), AsOf(2026, 6))
    assert not result.vetoed
    assert result.veto_reasons == ()
    assert [r["indicator"] for r in result.at_risk] == ["output"]


def test_mid_year_non_terminating_ratio_rounds_half_up():
    """July: expected 1000 × 7/12 = 583.33…; actual 500 → 0.857142… × 1.6 = 1.3714… → 1.37."""
    figures = [Figure("甲镇", c, AsOf(2026, 7), D(1000), D(500) if c == "output" else D(600))
               for c in ("output", "revenue", "value_added", "profit", "investment")]
    result = score_one(figures, AsOf(2026, 7))
    assert result.items["1.2"].score == D("1.37") + 4 * D("1.6")


def test_latest_figure_reported_by_the_month_is_used():
    """Figures for June (600 of 1200) and September; as of August the June figure counts against
    the August expectation 1200 × 8/12 = 800 → 0.75 × 1.6 = 1.2."""
    figures = [Figure("甲镇", "output", AsOf(2026, 6), D(1200), D(600)),
               Figure("甲镇", "output", AsOf(2026, 9), D(1200), D(1200))]
    result = score_one(figures, AsOf(2026, 8))
    line = next(ln for ln in result.items["1.2"].lines if ln.detail["indicator"] == "output")
    assert line.detail["points"] == D("1.2")
    assert line.detail["reported"] == "2026-06"


def test_missing_figure_scores_nothing_and_says_so():
    figures = [f for f in full_figures("甲镇") if f.indicator != "profit"]
    result = score_one(figures)
    assert result.items["1.2"].score == D("6.4")
    assert any("profit" in w for w in result.warnings)
    assert not result.vetoed  # no figure is no evidence of a shortfall


def test_negative_actual_counts_as_zero_completion():
    assert score_one(full_figures("甲镇", profit=D(-300))).items["1.2"].score == D("6.4")


def test_zero_target_counts_as_met():
    figures = full_figures("甲镇")
    figures[4] = Figure("甲镇", "investment", AsOf(2026, 12), D(0), D(0))
    assert score_one(figures).items["1.2"].score == D(8)


def test_fatal_accident_vetoes_at_year_end_and_keeps_the_score():
    result = score_one(full_figures("甲镇"), AsOf(2026, 12), rows("甲镇", "veto.accident", 1, note="死亡事故"))
    assert result.vetoed
    assert result.veto_reasons[0]["code"] == "veto.accident"
    assert result.total == D(100)
    assert result.rank is None and result.prize is None


def test_fatal_accident_mid_year_is_a_risk():
    result = score_one(full_figures("甲镇", month=6), AsOf(2026, 6), rows("甲镇", "veto.accident", 1))
    assert not result.vetoed
    assert result.at_risk[0]["code"] == "veto.accident"
