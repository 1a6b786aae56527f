"""A round's scored result for pages, cached until anything that feeds it changes.

The key carries the newest ledger row, the newest history rows of economic figures, ratings,
measurements, rules, items, sources and grades, and the round's version, so a new row or an
edited rule makes a new key: nothing is ever invalidated by hand, and a stale result cannot be
served.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.cache import cache
from django.db.models import Max, Subquery

from kaohe.models import (
    EconomicFigure,
    Grade,
    Indicator,
    LedgerEntry,
    Measurement,
    RaterGroup,
    Rating,
    RatingSource,
    Rule,
    Scheme,
)
from kaohe.report.scores import jsonable
from kaohe.scoring import SchemeResult, UnitResult

from .scoring import score

TTL = 3600


def fingerprint(round_) -> str:
    """Changes whenever anything that feeds the round's result changes; one query."""
    scheme_id = round_.scheme_id
    newest = {
        "ledger": LedgerEntry.objects.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("id")),
        "figures": EconomicFigure.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "rules": Rule.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
        "items": Indicator.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
        "ratings": Rating.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
        "measures": Measurement.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "sources": RatingSource.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "groups": RaterGroup.history.filter(source__scheme_id=scheme_id).values("source__scheme_id")
        .annotate(n=Max("history_id")),
        "grades": Grade.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
    }
    row = Scheme.objects.filter(pk=scheme_id).annotate(
        **{f"newest_{name}": Subquery(query.values("n")[:1]) for name, query in newest.items()}
    ).values_list(*(f"newest_{name}" for name in newest)).get()
    # The opening time keeps a database restored from a backup from meeting its old cache entries.
    opened = int(round_.opened_at.timestamp() * 1e6)
    return ".".join(str(part or 0) for part in (round_.pk, opened, *row, round_.version))


def scored_round(round_, key: str | None = None) -> SchemeResult:
    """Every unit's scores, ranks and prizes (no explanation lines), as exact Decimals."""
    key = f"kaohe:round:{key or fingerprint(round_)}"
    found = cache.get(key)
    if found is None:
        found = score(round_.scheme, as_of=round_.as_of, explain=False)
        cache.set(key, found, TTL)
    return found


def unit_detail(round_, unit_name: str, key: str | None = None) -> UnitResult:
    """One unit with every item's explanation: the rows and figures behind each point."""
    key = key or fingerprint(round_)
    cache_key = f"kaohe:unit:{key}:{unit_name}"
    found = cache.get(cache_key)
    if found is None:
        found = score(round_.scheme, as_of=round_.as_of, units=[unit_name], explain=True).unit(unit_name)
        # Rank, prize and grade (with its quota) depend on the whole group: take them from the full result.
        whole = scored_round(round_, key).unit(unit_name)
        found = replace(found, rank=whole.rank, prize=whole.prize, grade=whole.grade,
                        notes=found.notes + tuple(n for n in whole.notes if "demoted" in n))
        cache.set(cache_key, found, TTL)
    return found


def ranking_groups(round_, key: str | None = None) -> list[tuple[str, list[dict]]]:
    """The ranking as the page shows it: per group, units by rank (vetoed last), as plain data."""
    key = key or fingerprint(round_)
    cache_key = f"kaohe:ranking:{key}"
    found = cache.get(cache_key)
    if found is None:
        result = scored_round(round_, key)
        names = dict(round_.scheme.groups.values_list("group__code", "group__name"))
        by_group: dict[str, list[dict]] = {}
        for unit in sorted(result.units, key=lambda u: (u.rank is None, u.rank or 0, -u.total, u.unit)):
            data = jsonable(unit.as_dict())
            data.pop("explanation", None)
            by_group.setdefault(unit.group, []).append(data)
        found = [(names.get(code, code), units) for code, units in by_group.items()]
        cache.set(cache_key, found, TTL)
    return found
