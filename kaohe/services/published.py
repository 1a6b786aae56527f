"""Published results: each publication freezes the round's full result as a numbered version.

Pages read a published round from its latest version, never from the live ledger, so nothing
written afterwards moves what was decided. A change (an upheld objection) becomes visible only as
the next version, after the collector and the meeting have approved it again.
"""

from __future__ import annotations

from kaohe.models import PublishedResult
from kaohe.scoring import SchemeResult, UnitResult
from kaohe.scoring.serial import result_from_data, result_to_data

from .memo import remembered, version_key
from .ranking import round_unit_names, scored_round
from .scoring import score


def snapshot(round_) -> dict:
    """The round's result as it stands, with every explanation, ready to be frozen."""
    result = score(round_.scheme, as_of=round_.as_of, explain=True, units=round_unit_names(round_))
    return {
        "result": result_to_data(result),
        "resolution": round_.resolution,
        "meeting_date": round_.meeting_date.isoformat() if round_.meeting_date else None,
    }


def latest_version(round_) -> PublishedResult | None:
    """The newest version's record; its frozen result (``content``, large) is read only when asked for."""
    return version_list(round_).first()


def version_list(round_):
    """Every version's number, reason and date, for a page's version links: without their frozen results."""
    return round_.versions.defer("content").order_by("-number")


def version_result(version: PublishedResult) -> SchemeResult:
    return remembered(f"kaohe:version:{version_key(version)}", lambda: result_from_data(version.content["result"]),
                      3600)


def _summary(result: SchemeResult) -> dict:
    return {u.unit: (u.total, u.categories, {c: i.score for c, i in u.items.items()}, u.vetoed, u.rank, u.prize,
                     u.grade) for u in result.units}


def changed_since_published(round_) -> bool:
    """Whether any unit's score, rank, prize, veto or grade differs from the latest published version."""
    version = latest_version(round_)
    if version is None:
        return False
    return _summary(version_result(version)) != _summary(scored_round(round_))


def unit_in_version(version: PublishedResult, unit_name: str) -> UnitResult | None:
    """One unit with its explanation as ``version`` froze it (None if the version has no such unit).

    Cached per unit as well: a unit's page would otherwise read the whole round's result back from the cache.
    """
    return remembered(f"kaohe:version:{version_key(version)}:unit:{unit_name}",
                      lambda: next((u for u in version_result(version).units if u.unit == unit_name), None), 3600)
