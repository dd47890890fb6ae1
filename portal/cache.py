"""The Django cache, made to survive a Redis that does not answer.

allauth's rate limits and its record of used TOTP codes live in the cache. Django's own
RedisCache raises on a lost connection, which made every login, signup and password-reset
POST a 500 while Redis was down. Here a lost connection counts as a miss: reads find
nothing, writes are dropped, and ``add`` reports success (allauth takes a lock with
``add`` before it counts; a refused lock would lock everyone out). So while Redis is down
the rate limits let requests through and a TOTP code could be replayed within its 30
seconds; both come back by themselves with Redis. Sessions live in the database, so nobody
is logged out. The outage is logged once per worker thread, and its end again.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client with one redis.Redis per connection pool, where Django's makes a new
    one for every cache call: its constructor copies some 170 response callbacks, 0.13 ms
    here, paid by the session read of every logged-in page (docs/BENCHMARKS.md, "Sixth
    round"). Each thread has its own cache backend, so its own clients; a client holds no
    connection of its own, so it recovers with its pool after Redis was down, and the pool
    starts over in a forked worker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # a replica at random for reads
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]


class ResilientRedisCache(RedisCache):
    """RedisCache that treats a Redis it cannot reach as an empty cache (see above)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    # After a failure, Redis is left alone this long: a login makes a dozen cache calls, and
    # each would otherwise wait for the connect timeout of a Redis that does not answer.
    RETRY_AFTER = 5  # seconds
    _down_until = 0.0

    def _call(self, method: str, fallback, *args, **kwargs):
        if self._down_until and time.monotonic() < self._down_until:
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as error:
            if not self._down_until:
                logger.warning(
                    "The cache (Redis) does not answer; rate limits are off until it does: %s",
                    error,
                )
            self._down_until = time.monotonic() + self.RETRY_AFTER
            return fallback
        if self._down_until:
            self._down_until = 0.0
            logger.warning("The cache (Redis) answers again; rate limits are back on")
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)  # all failed

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # Django's incr raises ValueError for a missing key; a miss is what this is.
        result = self._call("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (the cache does not answer)")
        return result

    def clear(self):
        return self._call("clear", False)


def cache_ok() -> bool:
    """Does the cache answer? For the readiness check: with Redis down logins still work,
    but without rate limits, which operations should hear about."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Ask Redis itself: the resilient backend would hide the failure.
        try:
            return bool(backend._cache.get_client(write=True).ping())
        except UNREACHABLE:
            return False
    backend.set("portal:cache-probe", "ok", 10)
    return backend.get("portal:cache-probe") == "ok"
