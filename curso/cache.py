"""A Redis cache that degrades instead of failing: an outage costs speed, never a 500.

Everything this project keeps in the cache can be rebuilt or has a safer answer without it:
sessions come from the database (`cached_db`), pages are rendered again, and the login pages are
refused with a Spanish 503 while the rate-limit counters cannot be kept (see
`curso.middleware.ServiceUnavailableMiddleware`; allauth itself also refuses when it cannot
take its lock, because `add` answers False here).

So any Redis error (connection, timeout, out of memory, read-only) reads as a miss, and writes
are no-ops. After an error the cache is not tried again for `RETRY_SECONDS`, so a dead server
costs one short timeout, not one per call. Every key whose write failed is remembered, and
deleted as soon as the server answers again: a session closed or a page version bumped during a
network partition cannot come back stale from a cache that kept its old data. Past
MAX_PENDING_KEYS the whole cache database is emptied instead (sessions reload from the
database; rate-limit counts restart).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Not only a lost connection or a timeout: a full server (OOM with noeviction), a read-only
# replica after a failover or a MISCONF answer also leave the cache unusable for a while.
UNAVAILABLE = (RedisError,)
RETRY_SECONDS = 1.0
MAX_PENDING_KEYS = 10_000
# Connection and socket timeouts (seconds) unless the cache's OPTIONS say otherwise.
DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class _Health:
    """Per process, not per thread: Django builds one cache object per thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.stale_keys: set[str] = set()  # full (prefixed) keys whose write failed
        self.too_many = False  # more than MAX_PENDING_KEYS: empty the whole database instead


_HEALTH: dict[str, _Health] = {}
_HEALTH_LOCK = threading.Lock()


class ReusedClients(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every call, and each one builds its table of
    ~160 response callbacks: measurable on every signed-in page (the session read). A
    `redis.Redis` over a connection pool is safe to share between threads: keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_TIMEOUTS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusedClients
        with _HEALTH_LOCK:
            self._health = _HEALTH.setdefault(f"{server}|{self.key_prefix}", _Health())

    # --- availability -------------------------------------------------------------------
    def _available(self) -> bool:
        if time.monotonic() < self._health.down_until:
            return False
        # Back after an outage: first forget what may have gone stale meanwhile.
        health = self._health
        return not (health.stale_keys or health.too_many) or self._forget_stale_keys()

    def _failed(self, error: Exception, keys=()) -> None:
        with self._health.lock:
            if time.monotonic() >= self._health.down_until:
                logger.warning("Caché Redis no disponible, se sigue sin ella: %s", error)
            self._health.down_until = time.monotonic() + RETRY_SECONDS
        self._remember(keys)

    def _remember(self, keys) -> None:
        """Keys written while the server was unreachable: to delete once it answers again."""
        with self._health.lock:
            if self._health.too_many:
                return
            if len(self._health.stale_keys) + len(keys) > MAX_PENDING_KEYS:
                logger.error("Demasiadas escrituras perdidas: Redis se vaciará al volver.")
                self._health.too_many = True
                self._health.stale_keys.clear()
            self._health.stale_keys.update(keys)

    def _forget_stale_keys(self) -> bool:
        with self._health.lock:
            keys, too_many = list(self._health.stale_keys), self._health.too_many
        try:
            if too_many:  # sessions come back from the database, pages are built again
                self._cache.clear()
            elif keys:
                self._cache.get_client(write=True).delete(*keys)
        except UNAVAILABLE as error:
            self._failed(error)
            return False
        with self._health.lock:
            self._health.stale_keys.difference_update(keys)
            self._health.too_many = False
        logger.warning("Caché Redis disponible otra vez; %d claves viejas borradas.", len(keys))
        return True

    def is_available(self) -> bool:
        """A real round trip (for the readiness check and the login pages), short timeouts."""
        if not self._available():
            return False
        try:
            return bool(self._cache.get_client().ping())
        except UNAVAILABLE as error:
            self._failed(error)
            return False

    def _read(self, default, call, *args):
        if not self._available():
            return default
        try:
            return call(*args)
        except UNAVAILABLE as error:
            self._failed(error)
            return default

    def _write(self, keys, default, call, *args):
        if not self._available():
            self._remember(keys)
            return default
        try:
            return call(*args)
        except UNAVAILABLE as error:
            self._failed(error, keys)
            return default

    def _full(self, key, version) -> str:
        return self.make_and_validate_key(key, version=version)

    # --- the cache API: reads miss, writes do nothing ------------------------------------
    def get(self, key, default=None, version=None):
        return self._read(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._read({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._read(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # False: "not added", so nothing (allauth's lock included) believes it holds the key.
        full = [self._full(key, version)]
        return self._write(full, False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        full = [self._full(key, version)]
        self._write(full, None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        full = [self._full(key, version)]
        return self._write(full, False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        full = [self._full(key, version)]
        return self._write(full, False, super().delete, key, version)

    def incr(self, key, delta=1, version=None):
        full = [self._full(key, version)]
        if not self._available():
            self._remember(full)
            raise ValueError(f"Key '{key}' not found.")  # what a miss looks like to incr()
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            self._failed(error, full)
            raise ValueError(f"Key '{key}' not found.") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        full = [self._full(key, version) for key in data]
        return self._write(full, list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        full = [self._full(key, version) for key in keys]
        self._write(full, None, super().delete_many, keys, version)

    def clear(self):
        return self._read(False, super().clear)
