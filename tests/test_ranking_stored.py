"""The round's ranking reads the stored standings when they are current, and scores the ledger otherwise."""

import pytest
from django.core.cache import cache

from kaohe.actions.aggregates import do_recompute_scores
from kaohe.actions.ledger import do_record_entry
from kaohe.services import ranking
from kaohe.services.scoring import score

from .test_score_aggregates import cells, fresh_specs, same  # noqa: F401  (fresh_specs: an autouse fixture)

pytestmark = pytest.mark.django_db


def no_scoring(*args, **kwargs):
    raise AssertionError("the ledger was scored although the stored standings are current")


def test_a_current_ranking_is_a_lookup(round_, town, people, monkeypatch):
    do_recompute_scores(town)
    do_record_entry(town, cells=cells("城关镇", "3.1.c", 2, 5, 1), acting_user=people["admin"])
    cache.clear()
    monkeypatch.setattr(ranking, "score", no_scoring)
    looked_up = ranking.scored_round(round_)
    monkeypatch.undo()
    same(looked_up, score(town, as_of=round_.as_of, explain=False))


def test_without_stored_standings_the_ledger_is_scored(round_, town, monkeypatch):
    cache.clear()  # no ledger write yet: nothing is stored (the first write or a recompute builds it)
    calls = []
    original = ranking.score

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(ranking, "score", counted)
    result = ranking.scored_round(round_)
    monkeypatch.undo()
    assert [call["explain"] for call in calls] == [False]
    same(result, score(town, as_of=round_.as_of, explain=False))
