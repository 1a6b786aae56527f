"""A round's scored result for pages, cached until anything that feeds it changes.

The key carries the newest ledger row, the newest history rows of everything else that feeds the
result (economic figures and indicators, ratings, survey answers, measurements, rules, items, sources, rater
groups, grades, the scheme, its ranked groups and its units) and the round's version, so any
write makes a new key: nothing is ever invalidated by hand, and a stale result cannot be served.
A round scores the units it was opened with (one sheet per section and unit), so a unit added
later is not in it.
"""

from __future__ import annotations

from dataclasses import replace

from django.db.models import F, Max, Subquery

from kaohe.models import (
    EconomicFigure,
    EconomicIndicator,
    Grade,
    Indicator,
    LedgerEntry,
    Measurement,
    RaterGroup,
    Rating,
    RatingSource,
    Rule,
    Scheme,
    SchemeGroup,
    SurveyScore,
    Unit,
)
from kaohe.report.scores import jsonable
from kaohe.scoring import SchemeResult, UnitResult
from kaohe.scoring.serial import result_from_data

from .aggregates import compiled_row, stored_result
from .memo import remembered, version_key
from .scoring import score

TTL = 3600


def fingerprint(round_) -> str:
    """Changes whenever anything that feeds the round's result changes; one query."""
    row = _newest_rows(round_.scheme_id)
    # The opening time keeps a database restored from a backup from meeting its old cache entries.
    opened = int(round_.opened_at.timestamp() * 1e6)
    return ".".join(str(part or 0) for part in (round_.pk, opened, *row, round_.version))


def _newest_rows(scheme_id: int) -> tuple:
    row = compiled_row("fingerprint", scheme_id, _newest_query)
    if row is None:
        raise Scheme.DoesNotExist
    return row


def _newest_query(scheme_id: int):
    """The newest id of everything that feeds a scheme's results, one column each, in one query."""
    newest = {
        "ledger": LedgerEntry.objects.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("id")),
        "figures": EconomicFigure.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "rules": Rule.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
        "items": Indicator.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
        "ratings": Rating.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
        "surveys": SurveyScore.objects.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("id")),
        "measures": Measurement.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "sources": RatingSource.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "groups": RaterGroup.history.filter(source__scheme_id=scheme_id).values("source__scheme_id")
        .annotate(n=Max("history_id")),
        "grades": Grade.history.filter(scheme_id=scheme_id).values("scheme_id").annotate(n=Max("history_id")),
        "economic": EconomicIndicator.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "groups_ranked": SchemeGroup.history.filter(scheme_id=scheme_id).values("scheme_id")
        .annotate(n=Max("history_id")),
        "scheme": Scheme.history.filter(id=scheme_id).values("id").annotate(n=Max("history_id")),
        # Any unit's change (a group moved, a unit deactivated): units are few, the scan is cheap.
        "units": Unit.history.annotate(n=F("history_id")).order_by("-history_id"),
    }
    return Scheme.objects.filter(pk=scheme_id).annotate(
        **{f"newest_{name}": Subquery(query.values("n")[:1]) for name, query in newest.items()}
    ).values_list(*(f"newest_{name}" for name in newest))


def round_unit_names(round_) -> list[str] | None:
    """The units the round was opened with; None for a round without sheets (every active unit)."""
    names = sorted(set(round_.sheets.values_list("unit__name", flat=True)))
    return names or None


def scored_round(round_, key: str | None = None) -> SchemeResult:
    """Every unit's scores, ranks and prizes (no explanation lines), as exact Decimals."""
    def compute() -> SchemeResult:
        names = round_unit_names(round_)
        return _stored(round_, names) or score(round_.scheme, as_of=round_.as_of, explain=False, units=names)

    return remembered(f"kaohe:round:{key or fingerprint(round_)}", compute, TTL)


def _stored(round_, names: list[str] | None) -> SchemeResult | None:
    """The stored standings (a lookup) when current and of exactly the round's units; None otherwise."""
    found = stored_result(round_.scheme, round_.as_of)
    if found is None or (names is not None and sorted(u.unit for u in found.units) != names):
        return None
    return found


def unit_detail(round_, unit_name: str, key: str | None = None) -> UnitResult:
    """One unit with every item's explanation: the rows and figures behind each point."""
    key = key or fingerprint(round_)

    def compute() -> UnitResult:
        found = score(round_.scheme, as_of=round_.as_of, units=[unit_name], explain=True).unit(unit_name)
        # Rank, prize and grade (with its quota) depend on the whole group: take them from the full result.
        whole = scored_round(round_, key).unit(unit_name)
        return replace(found, rank=whole.rank, prize=whole.prize, grade=whole.grade,
                       notes=found.notes + tuple(n for n in whole.notes if "demoted" in n))

    return remembered(f"kaohe:unit:{key}:{unit_name}", compute, TTL)


def ranking_groups(round_, key: str | None = None, version=None) -> list[tuple[str, list[dict]]]:
    """The ranking as the page shows it: per group, units by rank (vetoed last), as plain data.

    ``version``: a published version of the round, shown as it was frozen.
    """
    key = key or fingerprint(round_)

    def compute() -> list[tuple[str, list[dict]]]:
        result = result_from_data(version.content["result"]) if version is not None else scored_round(round_, key)
        names = dict(round_.scheme.groups.values_list("group__code", "group__name"))
        by_group: dict[str, list[dict]] = {}
        for unit in sorted(result.units, key=lambda u: (u.rank is None, u.rank or 0, -u.total, u.unit)):
            data = jsonable(unit.as_dict())
            data.pop("explanation", None)
            by_group.setdefault(unit.group, []).append(data)
        return [(names.get(code, code), units) for code, units in by_group.items()]

    return remembered(f"kaohe:ranking:{version_key(version)}" if version is not None else f"kaohe:ranking:{key}",
                      compute, TTL)
