"""A Redis cache that is only an accelerator: when Redis fails, the site keeps answering.

``FallbackRedisCache`` wraps Django's own ``RedisCache``. When a call fails with a Redis error
(connection refused, a timeout, a refused write), a breaker opens for ``RETRY_AFTER`` seconds. While
it is open, every call goes to a local-memory tier in this process and does not try to connect. After
that, the next call tries Redis again. There is one warning per ``WARNING_INTERVAL`` per process,
not one per request. A warning counts the failures that were left out since the previous one. When
Redis answers again, the outage gets one closing warning.

The local tier holds only what was written during the current outage. It is emptied when an outage
begins and again when it ends, so a value written there never outlives the outage. A delete made
during an outage cannot reach Redis. That is harmless here because every cached value is keyed by a
fingerprint of what it was computed from (``kaohe.services.ranking``), so nothing is ever invalidated
by hand. Sessions and login lockouts (django-axes' database handler) are kept in the database, not in
this cache.

A value that no longer reads back (pickled by an earlier version of the code, whose classes have changed
shape since) is a miss: it is deleted, logged once as a warning, and computed again, never a 500.

Settings (``OPTIONS``): ``RETRY_AFTER`` (default 15 s) and ``WARNING_INTERVAL`` (default 60 s) are read
here. ``LOCAL_MAX_ENTRIES`` (default 300) sizes the local tier. Every other option goes to redis-py's
connection pool, as with Django's ``RedisCache`` (e.g. ``socket_connect_timeout``, ``socket_timeout``).
"""

from __future__ import annotations

import logging
import pickle
import threading
from dataclasses import dataclass, field
from time import monotonic
from urllib.parse import urlsplit, urlunsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What unpickling a value raises when the classes it was made of have changed since it was stored.
_UNREADABLE = (pickle.UnpicklingError, AttributeError, TypeError, ImportError, EOFError, IndexError)


@dataclass
class Breaker:
    """Whether Redis is being skipped, and when the last warning went out.

    There is one breaker per process and Redis location. Django makes one backend instance per
    thread, and all of them share this breaker.
    """

    retry_after: float
    warning_interval: float
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    down: bool = False
    down_since: float = 0.0
    retry_at: float = 0.0
    last_warning: float | None = None
    outage_announced: bool = False
    unlogged: int = 0

    def is_open(self) -> bool:
        return self.down and monotonic() < self.retry_at

    def failed(self) -> tuple[bool, bool, int]:
        """Record a failure. Returns (outage just began, warn now, failures left unlogged before this one)."""
        now = monotonic()
        with self.lock:
            began = not self.down
            if began:
                self.down, self.down_since, self.outage_announced = True, now, False
            self.retry_at = now + self.retry_after
            warn = self.last_warning is None or now - self.last_warning >= self.warning_interval
            unlogged = self.unlogged
            if warn:
                self.last_warning, self.outage_announced, self.unlogged = now, True, 0
            else:
                self.unlogged += 1
            return began, warn, unlogged

    def succeeded(self) -> tuple[bool, bool, float]:
        """Record a success. Returns (an outage just ended, it had been announced, its length in seconds)."""
        if not self.down:  # the common case: no lock taken
            return False, False, 0.0
        with self.lock:
            if not self.down:
                return False, False, 0.0
            self.down = False
            return True, self.outage_announced, monotonic() - self.down_since


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, retry_after: float, warning_interval: float) -> Breaker:
    with _breakers_lock:
        found = _breakers.get(location)
        if found is None:
            found = _breakers[location] = Breaker(retry_after, warning_interval)
        return found


def reset_breakers() -> None:
    """Forget every outage (for tests)."""
    with _breakers_lock:
        _breakers.clear()


class FallbackRedisCache(BaseCache):
    """Django's RedisCache, with a local-memory tier in each process that serves while Redis fails."""

    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("RETRY_AFTER", 15))
        warning_interval = float(options.pop("WARNING_INTERVAL", 60))
        local_entries = int(options.pop("LOCAL_MAX_ENTRIES", 300))
        common = {k: v for k, v in params.items() if k not in {"OPTIONS", "BACKEND"}}
        self.location = server if isinstance(server, str) else ",".join(server)
        self.redis = RedisCache(server, {**common, "OPTIONS": options})
        # LocMemCache shares its storage among instances that have the same name, so all threads use one tier.
        self.local = LocMemCache(f"kaohe-fallback:{self.location}",
                                 {**common, "OPTIONS": {"MAX_ENTRIES": local_entries}})
        self.breaker = breaker_for(self.location, retry_after, warning_interval)

    def _call(self, method: str, *args, **kwargs):
        breaker = self.breaker
        if breaker.is_open():
            return getattr(self.local, method)(*args, **kwargs)
        try:
            result = getattr(self.redis, method)(*args, **kwargs)
        except RedisError as error:
            began, warn, unlogged = breaker.failed()
            if began:
                self.local.clear()
            if warn:
                more = f" ({unlogged} more failures since the last warning)" if unlogged else ""
                logger.warning("Redis cache at %s failed (%s: %s); serving from local memory, trying Redis again "
                               "every %g s%s", self._safe_location(), type(error).__name__, error,
                               breaker.retry_after, more)
            return getattr(self.local, method)(*args, **kwargs)
        ended, announced, lasted = breaker.succeeded()
        if ended:
            self.local.clear()
            if announced:
                logger.warning("Redis cache at %s answers again after %.0f s", self._safe_location(), lasted)
        return result

    def _safe_location(self) -> str:
        """The location without a password, if one is in the URL."""
        parts = []
        for url in self.location.split(","):
            split = urlsplit(url)
            if split.password:
                host = split.hostname or ""
                netloc = f"***@{host}" + (f":{split.port}" if split.port else "")
                url = urlunsplit(split._replace(netloc=netloc))
            parts.append(url)
        return ",".join(parts)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        try:
            return self._call("get", key, default, version=version)
        except _UNREADABLE as error:
            return self._unreadable(key, version, error, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        try:
            return self._call("get_many", keys, version=version)
        except _UNREADABLE:  # one value that no longer reads: the others one by one
            missing = object()
            found = {key: self.get(key, missing, version=version) for key in keys}
            return {key: value for key, value in found.items() if value is not missing}

    def _unreadable(self, key, version, error: Exception, default):
        logger.warning("cache entry %s no longer reads back (%s: %s); computing it again", key,
                       type(error).__name__, error)
        self.delete(key, version=version)
        return default

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        self.local.clear()
        return self._call("clear")

    def close(self, **kwargs):
        self.redis.close(**kwargs)
        self.local.close(**kwargs)
