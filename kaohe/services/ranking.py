"""A round's result for pages, cached until anything that feeds it changes.

The key carries the newest ledger row, the newest economic-figure change and the round's and
scheme's history, so a new row or an edited rule makes a new key; nothing has to be invalidated.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Max

from kaohe.models import EconomicFigure, Indicator, LedgerEntry, Rule
from kaohe.report.scores import jsonable

from .scoring import score


def _fingerprint(round_) -> str:
    scheme = round_.scheme
    ledger = LedgerEntry.objects.filter(scheme=scheme).aggregate(n=Max("id"))["n"] or 0
    figures = EconomicFigure.history.filter(scheme_id=scheme.pk).aggregate(n=Max("history_id"))["n"] or 0
    rules = Rule.history.filter(scheme_id=scheme.pk).aggregate(n=Max("history_id"))["n"] or 0
    items = Indicator.history.filter(scheme_id=scheme.pk).aggregate(n=Max("history_id"))["n"] or 0
    return f"{ledger}.{figures}.{rules}.{items}.{round_.version}"


def round_result(round_) -> dict:
    """The scored round as plain data: units with total, rank, prize, categories, items and vetoes."""
    key = f"kaohe:round:{round_.pk}:{_fingerprint(round_)}"
    found = cache.get(key)
    if found is None:
        result = score(round_.scheme, as_of=round_.as_of, explain=False)
        found = jsonable(result.as_dict())
        cache.set(key, found, 3600)
    return found
