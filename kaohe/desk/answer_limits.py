"""How often the public answer page may be asked, per token and per address, counted in the cache.

A token is 32 random bytes, so guessing one is hopeless; the limits keep a script from hammering the page
(or one link from being submitted in a loop). When the cache is unavailable the fallback cache counts in
this process, which is still a limit.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

WINDOW = 600  # seconds
PER_TOKEN = 20  # requests to one link in the window: reading, a few corrections and the submission
PER_ADDRESS = 120  # requests from one address: a household or an office answering several invitations


def _hit(kind: str, key: str, limit: int) -> bool:
    """Count one request; True when it is over ``limit`` in the current window."""
    name = f"kaohe:answer:{kind}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    if cache.add(name, 1, WINDOW):
        return False
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, WINDOW)
        return False
    return count > limit


def over_limit(token: str, address: str) -> bool:
    over_token = _hit("token", token, PER_TOKEN)
    over_address = _hit("address", address or "-", PER_ADDRESS)
    return over_token or over_address
