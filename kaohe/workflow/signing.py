"""A signature's digest: the SHA-256 of the canonical JSON of exactly what was signed."""

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


def _decimal_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return plain(value)
    raise TypeError(f"{type(value).__name__} is not part of signed content")


def canonical_json(content: dict) -> bytes:
    """The same text as dumping :func:`canonical`'s output, without walking the content in Python first
    (the encoder calls back only for decimals)."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_decimal_text).encode("utf-8")


def digest(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()
