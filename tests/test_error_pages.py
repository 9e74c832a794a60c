"""Errors answer in Spanish, with the site's look, never Django's debug page."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_server_error_page_is_in_spanish():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="es">' in html
    assert "Algo salió mal" in html


def test_not_found_page_is_in_spanish(client):
    response = client.get("/no-existe/")
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


def test_csrf_failure_page_is_in_spanish(course):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "El formulario venció" in response.content.decode()


def test_security_headers_are_sent(client, course):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_database_unavailable_gets_a_spanish_503(client, course, settings, monkeypatch):
    from django.db import OperationalError

    from roadmap.models import Part

    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(type(Part.objects), "for_roadmap", database_down)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert '<html lang="es">' in html and "Volvemos en unos segundos" in html


def test_other_errors_still_get_the_500_page(client, course, settings, monkeypatch):
    from roadmap.models import Part

    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(type(Part.objects), "for_roadmap", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "Algo salió mal" in response.content.decode()


def test_pages_are_compressed_for_browsers_that_accept_gzip(client, course):
    import gzip

    plain = client.get("/").content
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain
    assert len(response.content) < len(plain) / 3
