"""Fixtures that put the project on Redis the way production has it (REDIS_URL).

Each test gets its own Redis database (TEST_REDIS_URL, default db 9 on 127.0.0.1:6379) and key
prefix; the database is emptied before and after (conftest clears the default cache). Skipped
when no Redis answers. `dead_redis` points the cache at a port nobody listens on: an outage.
"""

import os

import pytest
import redis

from curso import cache as resilient

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
PREFIX = "curso-test"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # port 1: connection refused at once


def _redis_settings(url: str) -> dict:
    return {
        "BACKEND": "curso.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": PREFIX,
    }


@pytest.fixture
def redis_cache(settings):
    """The shared cache on a real Redis. Yields a raw client of that database."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis no responde en {TEST_REDIS_URL}")
    client.flushdb()
    resilient._HEALTH.clear()
    settings.CACHES = {**settings.CACHES, "default": _redis_settings(TEST_REDIS_URL)}
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def dead_redis(settings):
    """Production settings with REDIS_URL, and Redis down."""
    resilient._HEALTH.clear()
    settings.CACHES = {**settings.CACHES, "default": _redis_settings(DEAD_REDIS_URL)}
    yield
    resilient._HEALTH.clear()
