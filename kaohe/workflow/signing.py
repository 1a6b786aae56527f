"""What a signature covers, as canonical JSON, and its SHA-256; verification recomputes both."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from kaohe.numbers import plain


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)  # as text: exact, and the same on every database
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def canonical(content: dict) -> dict:
    """The content as stored with a signature: decimals as exact text, so it round-trips through JSON."""
    return _canonical(content)


def canonical_json(content: dict) -> bytes:
    return json.dumps(_canonical(content), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def sheet_content(sheet) -> dict:
    """Exactly what a section head signs: the sheet's item scores and the ledger rows behind them."""
    from kaohe.services.scoring import score

    result = score(sheet.round.scheme, as_of=sheet.round.as_of, units=[sheet.unit.name], explain=True)
    unit = result.unit(sheet.unit.name)
    codes = section_items(sheet)
    items = {}
    for code in codes:
        item = unit.items[code]
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
        "total": sum((items[c]["score"] for c in codes), Decimal(0)),
    }


def section_items(sheet) -> list[str]:
    """The leaf items the sheet's section scores, in scheme order."""
    return list(
        sheet.round.scheme.indicators.filter(section=sheet.section, children__isnull=True)
        .order_by("order").values_list("code", flat=True)
    )


def round_content(round_) -> dict:
    """What the meeting approves: every unit's total, rank and prize, and the resolution."""
    from kaohe.services.scoring import score

    result = score(round_.scheme, as_of=round_.as_of, explain=False)
    return {
        "round": round_.pk,
        "scheme": round_.scheme.code,
        "as_of": str(round_.as_of),
        "resolution": round_.resolution,
        "meeting_date": round_.meeting_date.isoformat() if round_.meeting_date else None,
        "units": sorted(
            ({"unit": u.unit, "group": u.group, "total": u.total, "rank": u.rank, "prize": u.prize,
              "vetoed": u.vetoed} for u in result.units),
            key=lambda u: (u["group"], u["unit"]),
        ),
    }


def content_for(obj) -> dict:
    from kaohe.models import Round

    return round_content(obj) if isinstance(obj, Round) else sheet_content(obj)


def verify(signature) -> dict:
    """Recompute what the signed object says now; ``valid`` only if nothing it covers has changed."""
    obj = signature.round or signature.sheet
    stored_ok = digest(signature.content) == signature.digest
    current = content_for(obj)
    now_ok = digest(current) == signature.digest
    return {"valid": stored_ok and now_ok, "stored_content_intact": stored_ok, "matches_current": now_ok,
            "digest": signature.digest, "current_digest": digest(current)}
