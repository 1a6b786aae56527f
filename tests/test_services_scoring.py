"""Scoring from the database: the same answers as the engine, exact on every backend."""

from datetime import date
from decimal import Decimal as D

import pytest

from kaohe.actions.ledger import do_reverse_entry
from kaohe.models import EconomicFigure, LedgerEntry, Rule
from kaohe.scoring import AsOf
from kaohe.services.scoring import score

pytestmark = pytest.mark.django_db


def record(town, unit, code, quantity="1", points=None, day=date(2026, 5, 1), note=""):
    rule = Rule.objects.get(scheme=town, code=code)
    return LedgerEntry.objects.create(scheme=town, unit=unit, rule=rule, quantity=D(quantity),
                                      points=None if points is None else D(points), date=day, note=note)


def figures(town, unit, month=12, **actuals):
    for ind in town.economic_indicators.all():
        EconomicFigure.objects.create(scheme=town, unit=unit, indicator=ind, year=2026, month=month,
                                      target=D(1000), actual=D(actuals.get(ind.code, 1000)))


def test_sums_of_tenths_stay_exact(town, units):
    """Ten rows of 0.1 completion would drift as binary floats; 3.1.c sums points 10 × 0.1 = 1."""
    town_unit = units["城关镇"]
    figures(town, town_unit)
    for _ in range(10):
        record(town, town_unit, "3.1.c", points="0.1", note="技改")
    result = score(town).unit("城关镇")
    assert result.items["3.1"].score == D(9)
    assert result.total == D(101)


def test_rows_after_the_as_of_month_do_not_count(town, units):
    unit = units["东山镇"]
    figures(town, unit, month=6)
    record(town, unit, "8.1.a", day=date(2026, 3, 1))
    record(town, unit, "8.1.a", day=date(2026, 7, 1))
    assert score(town, AsOf(2026, 6)).unit("东山镇").items["8.1"].score == D("5.5")
    assert score(town, AsOf(2026, 12)).unit("东山镇").items["8.1"].score == D(5)


def test_explanation_carries_the_rows_and_figures(town, units):
    unit = units["西河镇"]
    figures(town, unit, output=800)
    entry = record(town, unit, "9.6.a", note="企业投诉")
    result = score(town, explain=True).unit("西河镇")
    line = result.items["9.6"].lines[0]
    assert line.detail["rows"][0]["id"] == entry.pk
    assert line.detail["rows"][0]["note"] == "企业投诉"
    output = next(ln for ln in result.items["1.2"].lines if ln.detail["indicator"] == "output")
    assert output.detail["actual"] == D(800)
    assert output.detail["points"] == D("1.28")
    assert result.vetoed


def test_a_reversed_row_no_longer_counts(town, units):
    unit = units["南湖镇"]
    figures(town, unit)
    first = record(town, unit, "5.b", quantity="0.5", day=date(2026, 9, 1))
    record(town, unit, "5.b", quantity="0.25", day=date(2026, 3, 1))
    assert score(town).unit("南湖镇").items["5"].score == D(1)  # latest: 0.5 → −1
    do_reverse_entry(first, reason="录入错误", acting_user=None)
    assert score(town).unit("南湖镇").items["5"].score == D("0.5")  # back to 0.25 → −1.5
    accident = record(town, unit, "veto.accident")
    assert score(town).unit("南湖镇").vetoed
    do_reverse_entry(accident, reason="非责任事故", acting_user=None)
    assert not score(town).unit("南湖镇").vetoed


def test_without_lines_the_latest_row_is_the_one_the_lines_use(town, units, monkeypatch):
    """Scoring a whole scheme without lines finds each completion ratio's latest live row by index alone: the
    latest date, then the highest id on it; reversed rows and their reversals never count."""
    import kaohe.services.scoring as scoring

    unit = units["南湖镇"]
    figures(town, unit)

    def both(month=12):
        lined = score(town, AsOf(2026, month)).unit("南湖镇").items["5"]
        plain = score(town, AsOf(2026, month), explain=False).unit("南湖镇").items["5"]
        with monkeypatch.context() as patched:  # some units named, too many to read their rows whole
            patched.setattr(scoring, "FEW_UNITS", 0)
            named = score(town, AsOf(2026, month), explain=False, units=["南湖镇", "城关镇"]).unit("南湖镇").items["5"]
        assert (plain.raw, plain.score) == (named.raw, named.score) == (lined.raw, lined.score)
        return plain.score

    record(town, unit, "5.b", quantity="0.75", day=date(2026, 3, 1))
    assert both() == D("1.5")  # 0.75 → −0.5
    record(town, unit, "5.b", quantity="0.5", day=date(2026, 9, 1))
    later = record(town, unit, "5.b", quantity="0.25", day=date(2026, 9, 1))  # same day, recorded later: it counts
    assert both() == D("0.5")  # 0.25 → −1.5
    assert both(month=6) == D("1.5")  # in June the March row is the latest
    do_reverse_entry(later, reason="录入错误", acting_user=None)  # the reversal: same day, higher id, not live
    assert both() == D(1)  # back to the 0.5 of the same day → −1
    record(town, unit, "5.b", quantity="1", day=date(2026, 12, 31))
    assert both() == D(2)


def test_group_filter_scores_only_that_group(town, units):
    result = score(town, group="entity")
    assert [u.unit for u in result.units] == ["开发区"]
