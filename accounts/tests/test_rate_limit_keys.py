"""Failed-login limits count the real client and the account, whatever the proxy chain or Host."""

from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"  # REMOTE_ADDR of every request that comes through the TLS proxy
ATTACKER = "198.51.100.7"
VICTIM = "203.0.113.9"


def through_proxy(client: Client, forwarded_for: str, data: dict):
    """What the proxy sends on: the client's X-Forwarded-For with the client's address appended."""
    return client.post(
        "/accounts/login/", data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
    )


def test_with_one_trusted_proxy_a_spoofed_forwarded_for_cannot_lock_out_another_client(
    settings, ana, carla
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for n in range(10):  # the per-IP limit is 10/m; other emails, so no account is locked
        bad = {"login": f"nadie{n}@example.com", "password": "mala"}
        assert through_proxy(attacker, f"{VICTIM}, {ATTACKER}", bad).status_code == 200
    # The victim, behind the same proxy, still signs in.
    ok = {"login": ana.email, "password": PASSWORD}
    assert through_proxy(Client(), VICTIM, ok)["Location"] == "/mi-progreso/"
    # The attacker's real address (the one the proxy appended) is the one that was counted.
    response = through_proxy(attacker, ATTACKER, {"login": carla.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Demasiados intentos fallidos" in response.content.decode()


def test_without_trusted_proxies_forwarded_for_is_ignored(settings, ana):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    for n in range(10):
        bad = {"login": f"nadie{n}@example.com", "password": "mala"}
        Client().post("/accounts/login/", bad, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = Client().post("/accounts/login/", {"login": ana.email, "password": PASSWORD})
    assert response.status_code == 200  # every request came from the same REMOTE_ADDR


def test_a_forwarded_for_shorter_than_the_proxy_chain_is_not_a_500(settings, ana):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = Client().post(
        "/accounts/login/",
        {"login": ana.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=VICTIM,
    )
    assert response.status_code == 302


def test_host_variants_share_one_lockout(settings, ana):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    client = Client()
    hosts = ["127.0.0.1:1", "LOCALHOST", "localhost:8000", "testserver", "127.0.0.1"]
    for host in hosts:
        bad = {"login": ana.email, "password": "mala"}
        assert client.post("/accounts/login/", bad, HTTP_HOST=host).status_code == 200
    for host in [*hosts, "127.0.0.1:2", "TestServer:80"]:
        ok = {"login": ana.email.upper(), "password": PASSWORD}
        response = Client().post("/accounts/login/", ok, HTTP_HOST=host)
        assert response.status_code == 200, host
        assert "Demasiados intentos fallidos" in response.content.decode()


def test_a_password_reset_lifts_the_lockout_for_every_host(settings, ana):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    for _ in range(5):
        Client().post("/accounts/login/", {"login": ana.email, "password": "mala"})
    client = Client()
    client.post("/accounts/password/reset/", {"email": ana.email}, HTTP_HOST="LOCALHOST:9")
    link = mail.outbox[-1].body.split("http://LOCALHOST:9", 1)[1].split()[0]
    form_url = client.get(link, HTTP_HOST="LOCALHOST:9")["Location"]
    new = "otra-clave-bastante-larga-77"
    client.post(form_url, {"password1": new, "password2": new}, HTTP_HOST="LOCALHOST:9")
    response = Client().post("/accounts/login/", {"login": ana.email, "password": new})
    assert response.status_code == 302


def settings_value(name: str, env: dict):
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    return run_python(code, env)


def test_trusted_proxy_count_comes_from_the_environment():
    assert settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", {}).stdout.strip() == "0"
    result = settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", {"ALLAUTH_TRUSTED_PROXY_COUNT": "1"})
    assert result.stdout.strip() == "1"


@pytest.mark.parametrize(
    ("value", "error"), [("uno", "debe ser un número entero"), ("-1", "no puede ser negativo")]
)
def test_a_malformed_trusted_proxy_count_refuses_to_start(value, error):
    result = settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", {"ALLAUTH_TRUSTED_PROXY_COUNT": value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and error in result.stderr


def test_the_client_ip_header_must_be_a_header_name():
    ok = settings_value("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", {})
    assert ok.stdout.strip() == "None"
    env = {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    assert settings_value("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", env).stdout.strip() == "X-Real-IP"
    bad = settings_value(
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X Real: IP"}
    )
    assert bad.returncode != 0 and "nombre de cabecera" in bad.stderr
