"""/salud/ says the process is alive; /salud/listo/ says it can serve: database and cache."""

import pytest
from django.db import OperationalError, connections

from tests import shared_cache

pytestmark = pytest.mark.django_db
dead_redis = shared_cache.dead_redis
redis_cache = shared_cache.redis_cache


def test_ready_when_the_database_and_the_cache_answer(client):
    response = client.get("/salud/listo/")
    assert response.status_code == 200
    assert response.content.decode() == "listo"
    assert "no-cache" in response["Cache-Control"]


def test_ready_with_redis(redis_cache, client):
    assert client.get("/salud/listo/").status_code == 200


def test_not_ready_while_redis_is_down(dead_redis, client):
    response = client.get("/salud/listo/")
    assert response.status_code == 503
    assert response.content.decode() == "no listo: la caché no responde"
    assert client.get("/salud/").status_code == 200  # alive all the same


def test_not_ready_while_the_database_is_down(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refused)
    response = client.get("/salud/listo/")
    assert response.status_code == 503
    assert "la base de datos no responde" in response.content.decode()
    assert response["Retry-After"] == "10"


def test_readiness_only_reads(client):
    assert client.post("/salud/listo/").status_code == 405
