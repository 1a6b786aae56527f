"""Scoring builds a few hundred thousand small, short-lived objects at once.

CPython's cyclic collector would walk every live one of them again and again while they are
built (a third of the time of scoring a million-row ledger); none of them forms a cycle, so the
collector is paused for the duration and the one collection it skipped runs once at the end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
