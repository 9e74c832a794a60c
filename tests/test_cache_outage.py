"""Redis down: pages still answer, sessions come from the database, logins wait (503, Spanish).

`dead_redis` points the production cache backend at a port nobody listens on.
"""

import logging

import pytest
import redis
from allauth.core import ratelimit
from django.core.cache import caches
from django.test import RequestFactory

from conftest import PASSWORD
from curso import cache as resilient
from tests import shared_cache
from tests.course_factory import SECTION, TOPIC

pytestmark = pytest.mark.django_db
dead_redis = shared_cache.dead_redis
redis_cache = shared_cache.redis_cache
RATE_LIMITS_DOWN = "No podemos verificar los intentos de ingreso ahora; probá de nuevo en un minuto"


@pytest.mark.parametrize(
    "url", ["/", SECTION.url(), "/recursos/", "/accounts/signup/", "/accounts/login/"]
)
def test_anonymous_pages_answer_without_redis(dead_redis, client, course, url):
    assert client.get(url).status_code == 200


def test_a_signed_in_learner_stays_signed_in_without_redis(dead_redis, ana_client, course):
    for url in ["/", SECTION.url(), "/mi-progreso/"]:
        response = ana_client.get(url)
        assert response.status_code == 200
        assert "Salir" in response.content.decode()  # the session came from the database


def test_a_learner_can_still_save_without_redis(dead_redis, ana_client, course):
    response = ana_client.post(SECTION.topic_url(TOPIC) + "estado/", {"status": "completado"})
    assert response.status_code == 302
    assert f"1 de {course.topic_count} temas completados" in ana_client.get("/").content.decode()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"login": "ana@example.com", "password": "adivinando"}),
        ("/accounts/signup/", {"email": "x@example.com", "password1": "a", "password2": "a"}),
        ("/accounts/password/reset/", {"email": "ana@example.com"}),
    ],
)
def test_login_signup_and_reset_wait_for_the_rate_limits(dead_redis, client, ana, url, data):
    response = client.post(url, data)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert RATE_LIMITS_DOWN in response.content.decode()


def test_a_right_password_is_refused_too_while_attempts_cannot_be_counted(dead_redis, client, ana):
    response = client.post("/accounts/login/", {"login": ana.email, "password": PASSWORD})
    assert response.status_code == 503
    assert "Salir" not in client.get("/").content.decode()


def test_logging_out_still_works_without_redis(dead_redis, ana_client, course):
    assert ana_client.post("/accounts/logout/").status_code == 302
    assert "Crear cuenta" in ana_client.get("/").content.decode()


def test_allauth_itself_refuses_when_it_cannot_count(dead_redis):
    """Behind the 503: allauth cannot take its lock, so it would not let the attempt through."""
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.7")
    assert not ratelimit.consume(request, action="login_failed", key="ana@example.com")


def test_an_outage_is_logged_once_per_retry_window(dead_redis, caplog):
    cache = caches["default"]
    with caplog.at_level(logging.WARNING, logger="curso.cache"):
        for _ in range(20):
            assert cache.get("x") is None
            cache.set("x", 1)
    assert len([r for r in caplog.records if "no disponible" in r.getMessage()]) == 1


def test_keys_written_during_an_outage_are_forgotten_when_redis_is_back(redis_cache, monkeypatch):
    """A session closed or a version bumped during a partition must not come back stale."""
    cache = caches["default"]
    cache.set("sesion", "vieja")
    original = cache._cache.get_client

    def unreachable(*args, **kwargs):
        raise redis.exceptions.ConnectionError("sin red")

    monkeypatch.setattr(cache._cache, "get_client", unreachable)
    cache.delete("sesion")  # lost: Redis still holds the old value
    monkeypatch.setattr(cache._cache, "get_client", original)
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0)
    cache._health.down_until = 0
    assert cache.get("sesion") is None  # deleted on the first contact after the outage


def test_too_many_lost_writes_empty_the_cache_when_redis_is_back(redis_cache, monkeypatch):
    cache = caches["default"]
    cache.set("sesion", "vieja")
    original = cache._cache.get_client

    def unreachable(*args, **kwargs):
        raise redis.exceptions.ConnectionError("sin red")

    monkeypatch.setattr(resilient, "MAX_PENDING_KEYS", 2)
    monkeypatch.setattr(cache._cache, "get_client", unreachable)
    for n in range(3):
        cache.set(f"otra-{n}", n)
    monkeypatch.setattr(cache._cache, "get_client", original)
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0)
    cache._health.down_until = 0
    assert cache.get("sesion") is None
    assert not cache._health.too_many and not cache._health.stale_keys


@pytest.fixture
def full_redis(settings, tmp_path):
    """A private Redis that is full and refuses writes (maxmemory, noeviction): OOM errors."""
    import shutil
    import socket
    import subprocess
    import time

    if not shutil.which("redis-server"):
        pytest.skip("no hay redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path), "--maxmemory", "3mb",
         "--maxmemory-policy", "noeviction"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    with pytest.raises(redis.exceptions.OutOfMemoryError):  # fill it up
        for index in range(10_000):
            client.set(f"relleno:{index}", "x" * 10_000)
    resilient._HEALTH.clear()
    settings.CACHES = {
        **settings.CACHES,
        "default": {**shared_cache._redis_settings(f"redis://127.0.0.1:{port}/0")},
    }
    yield
    resilient._HEALTH.clear()
    server.kill()
    server.wait()


def test_a_full_redis_degrades_like_a_dead_one(full_redis, ana_client, course):
    for url in ["/", SECTION.url(), "/mi-progreso/"]:
        response = ana_client.get(url)
        assert response.status_code == 200, url
        assert "Salir" in response.content.decode()
    response = ana_client.post(SECTION.topic_url(TOPIC) + "estado/", {"status": "completado"})
    assert response.status_code == 302
