"""A result as plain data: the written-out serialiser gives exactly what walking the whole result gives, and the
data reads back to the same data, for points results with and without lines and for weighted results with notes."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.scoring import AsOf, UnitFact, score_scheme
from kaohe.scoring.serial import _text, result_from_data, result_to_data, unit_to_data

from .helpers import TOWN
from .test_properties import UNITS, ledgers
from .test_weighted_plain import scheme as weighted_scheme
from .test_weighted_plain import tallies as weighted_tallies


def walked(u) -> dict:
    """The plain data of a unit as the generic walk makes it: every value through _text."""
    return _text({
        "unit": u.unit, "group": u.group, "total": u.total, "categories": u.categories,
        "items": [[i.code, i.base, i.raw, i.score, i.weight, [[ln.source, ln.effect, ln.rule, ln.detail]
                                                              for ln in i.lines]] for i in u.items.values()],
        "vetoed": u.vetoed, "veto_reasons": list(u.veto_reasons), "at_risk": list(u.at_risk),
        "warnings": list(u.warnings), "rank": u.rank, "prize": u.prize, "grade": u.grade, "notes": list(u.notes),
    })


def same_data(result) -> None:
    for u in result.units:
        assert unit_to_data(u) == walked(u)
    data = result_to_data(result)
    assert data == _text(data)  # nothing left that is not plain data
    assert result_to_data(result_from_data(data)) == data  # it reads back to the same data
    assert [(u.unit, u.total, u.rank) for u in result_from_data(data).units] == [
        (u.unit, u.total, u.rank) for u in result.units]


@settings(max_examples=40, deadline=None)
@given(ledgers(), st.integers(1, 12), st.booleans())
def test_points_results_serialise_as_walked(ledger, month, with_lines):
    tallies, figures = ledger
    result = score_scheme(TOWN, [UnitFact(u, "town") for u in UNITS], tallies, figures, AsOf(2026, month),
                          with_lines=with_lines)
    if with_lines:
        assert any(i.lines for u in result.units for i in u.items.values())
    same_data(result)


def test_weighted_results_with_notes_and_grading_serialise_as_walked():
    rnd = random.Random(5)
    units = [UnitFact(f"u{n}", rnd.choice(("sales", "office"))) for n in range(60)]
    ratings = [t for u in units for t in weighted_tallies(rnd, u.name)]
    for with_lines in (False, True):
        result = score_scheme(weighted_scheme(), units, (), ratings=ratings, with_lines=with_lines)
        assert result.grading and any(u.notes for u in result.units) and any(u.grade for u in result.units)
        same_data(result)
