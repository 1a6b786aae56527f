"""What each signature covers, rebuilt from the data as it is now, and whether it still matches.

A section head's signature covers the sheet's item scores and the ledger rows behind them. The
collector's covers every unit's total, rank and prize. The meeting's covers the same plus the
resolution and the meeting date it states. Each step signs only what its signer approved, so the
decision filling in the resolution leaves the collector's signature valid.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from kaohe.models import Round, ScoreSheet, Signature, TransitionLog
from kaohe.scoring import UnitResult
from kaohe.workflow.signing import digest
from kaohe.workflow.states import SheetState, Step

from .ranking import fingerprint, round_unit_names
from .scoring import score


def section_items(sheet) -> list[str]:
    """The leaf items the sheet's section scores, in scheme order."""
    return list(
        sheet.round.scheme.indicators.filter(section=sheet.section, children__isnull=True)
        .order_by("order").values_list("code", flat=True)
    )


def sheet_content_from(sheet, unit: UnitResult | None, codes: list[str]) -> dict:
    """``unit`` None: the engine scores nothing for the unit (an objectives scheme's non-owner); the sheet
    then covers no item rather than failing."""
    items = {}
    for code in codes:
        item = unit.items.get(code) if unit is not None else None
        if item is None:
            continue
        items[code] = {
            "score": item.score,
            "base": item.base,
            "lines": [
                {"source": line.source, "rule": line.rule, "effect": line.effect,
                 "rows": [{"id": r["id"], "date": r["date"], "quantity": r["quantity"], "points": r["points"],
                           "note": r["note"]} for r in line.detail.get("rows", [])]}
                for line in item.lines
            ],
        }
    return {
        "round": sheet.round_id,
        "sheet": sheet.pk,
        "section": sheet.section.code,
        "unit": sheet.unit.name,
        "as_of": str(sheet.round.as_of),
        "items": items,
        "total": sum((i["score"] for i in items.values()), Decimal(0)),
    }


def sheet_content(sheet) -> dict:
    """Exactly what a section head signs: the sheet's item scores and the ledger rows behind them."""
    result = score(sheet.round.scheme, as_of=sheet.round.as_of, units=[sheet.unit.name], explain=True)
    unit = next((u for u in result.units if u.unit == sheet.unit.name), None)
    return sheet_content_from(sheet, unit, section_items(sheet))


def round_content(round_, step: str) -> dict:
    """What the collector (``collect``) or the meeting (``decide``) approves."""
    result = score(round_.scheme, as_of=round_.as_of, explain=False, units=round_unit_names(round_))
    content = {
        "round": round_.pk,
        "scheme": round_.scheme.code,
        "as_of": str(round_.as_of),
        "units": sorted(
            ({"unit": u.unit, "group": u.group, "total": u.total, "rank": u.rank, "prize": u.prize,
              "vetoed": u.vetoed, "grade": u.grade} for u in result.units),
            key=lambda u: (u["group"], u["unit"]),
        ),
    }
    if step == Step.DECIDE:
        content["resolution"] = round_.resolution
        content["meeting_date"] = round_.meeting_date.isoformat() if round_.meeting_date else None
    return content


def content_for(obj, step: str) -> dict:
    return round_content(obj, step) if isinstance(obj, Round) else sheet_content(obj)


def verify(signature: Signature) -> dict:
    """Recompute what the signed object says now; ``valid`` only if nothing it covers has changed."""
    obj = signature.round or signature.sheet
    stored_ok = digest(signature.content) == signature.digest
    current = content_for(obj, signature.action or (Step.SIGN if signature.sheet_id else Step.DECIDE))
    current_digest = digest(current)
    now_ok = current_digest == signature.digest
    return {"valid": stored_ok and now_ok, "stored_content_intact": stored_ok, "matches_current": now_ok,
            "digest": signature.digest, "current_digest": current_digest}


REASONS = {
    "digest": _("the stored content does not match its digest"),
    "changed": _("what it covers has changed since it was signed"),
}


@dataclass(frozen=True)
class Broken:
    """A signature the round relies on that no longer verifies, and why."""

    signature: Signature
    reason: str  # a key of REASONS, rendered in the reader's language


    def __str__(self) -> str:
        who = self.signature.user.get_full_name() or self.signature.user.get_username()
        what = self.signature.sheet or self.signature.round
        return f"{what} · {who} · {self.signature.signed_at:%Y-%m-%d %H:%M}: {REASONS[self.reason]}"


def current_signatures(round_) -> list[Signature]:
    """The signatures the round's present state rests on: each signed sheet's latest, and the round's own
    since it last started a cycle (opened, reopened by the meeting, or published)."""
    sheets = round_.sheets.filter(state=SheetState.SIGNED)
    latest: dict[int, Signature] = {}
    for signature in (Signature.objects.filter(sheet__in=sheets)
                      .select_related("user", "on_behalf_of", "sheet__section", "sheet__unit", "sheet__round")
                      .order_by("signed_at", "id")):
        latest[signature.sheet_id] = signature
    cycle = (TransitionLog.objects.filter(round=round_, action__in=[Step.REOPEN, Step.PUBLISH])
             .order_by("-at", "-id").values_list("at", flat=True).first())
    own = round_.signatures.select_related("user", "on_behalf_of").order_by("signed_at", "id")
    if cycle is not None:
        own = own.filter(signed_at__gt=cycle)
    return [*latest.values(), *own]


def broken_signatures(round_, *, exact: bool = False) -> list[Broken]:
    """Every signature the round rests on that no longer verifies (one scoring pass for all sheets).

    For pages the answer is remembered under the round's fingerprint and the signatures checked: any
    write through the application changes the fingerprint. ``exact`` recomputes regardless, for the
    steps that rely on the signatures (a change made behind the application's back, such as an UPDATE
    in the database, changes no fingerprint).
    """
    signatures = current_signatures(round_)
    if not signatures:
        return []
    if exact:
        return _check(round_, signatures)
    checked = hashlib.sha256(",".join(str(s.pk) for s in signatures).encode()).hexdigest()[:32]
    key = f"kaohe:broken:{fingerprint(round_)}:{checked}"
    known = cache.get(key)
    if known is None:
        known = [(b.signature.pk, b.reason) for b in _check(round_, signatures)]
        cache.set(key, known, 3600)
    by_pk = {s.pk: s for s in signatures}
    return [Broken(by_pk[pk], reason) for pk, reason in known]


def _check(round_, signatures: list[Signature]) -> list[Broken]:
    names = round_unit_names(round_)
    result = score(round_.scheme, as_of=round_.as_of, units=names, explain=True)
    units = {u.unit: u for u in result.units}
    items_of: dict[int, list[str]] = {}
    broken = []
    contents: dict[str, dict] = {}
    for signature in signatures:
        if digest(signature.content) != signature.digest:
            broken.append(Broken(signature, "digest"))
            continue
        if signature.sheet_id:
            sheet: ScoreSheet = signature.sheet
            if sheet.section_id not in items_of:
                items_of[sheet.section_id] = section_items(sheet)
            unit = units.get(sheet.unit.name)
            current = sheet_content_from(sheet, unit, items_of[sheet.section_id]) if unit else {}
        else:
            step = signature.action or Step.DECIDE
            if step not in contents:
                contents[step] = round_content(round_, step)
            current = contents[step]
        if digest(current) != signature.digest:
            broken.append(Broken(signature, "changed"))
    return broken
