"""Results shared through the cache, kept also in each process: reading one back is then a dictionary look-up.

Every value here is keyed by a fingerprint of what it was computed from (or by a published version, which
never changes), so the value under a key never changes and a copy in the process can never be stale. Without
this, each page would read the round's result from Redis and unpickle tens of thousands of objects again.
Each memo keeps its most recently used entries; callers must not change what they are given.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


class Memo:
    """The most recently used ``size`` values, in front of the shared cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.local: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()
        _MEMOS.append(self)

    def get(self, key: str, compute: Callable[[], T], timeout: int) -> T:
        """The value under ``key``: from this process, else the shared cache, else ``compute()`` (then kept in
        both)."""
        with self.lock:
            found = self.local.get(key)
            if found is not None:
                self.local.move_to_end(key)
                return found
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, timeout)
        if found is not None:
            with self.lock:
                self.local[key] = found
                while len(self.local) > self.size:
                    self.local.popitem(last=False)
        return found

    def clear(self) -> None:
        with self.lock:
            self.local.clear()


_MEMOS: list[Memo] = []
_RESULTS = Memo(64)  # results and rankings: a round's result is a few hundred kilobytes


def remembered(key: str, compute: Callable[[], T], timeout: int) -> T:
    """:meth:`Memo.get` of the memo for results and rankings."""
    return _RESULTS.get(key, compute, timeout)


def version_key(version) -> str:
    """A published version's part of a key: its id, and its publication time, which a database restored
    from a backup (where ids may be given again) does not repeat."""
    return f"v{version.pk}.{int(version.published_at.timestamp() * 1e6)}"


def forget_all() -> None:
    """Empty this process's copies (the shared cache is emptied apart, e.g. between tests)."""
    for memo in _MEMOS:
        memo.clear()
