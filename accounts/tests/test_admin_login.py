"""/admin/login/ goes through allauth's login: failed attempts count and lock like any other."""

import pytest
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/accounts/login/?next=/admin/"


def test_admin_login_sends_to_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_posting_a_password_to_admin_login_signs_nobody_in(client, superuser):
    response = client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302


def test_failed_admin_logins_lock_the_account(client, superuser):
    for _ in range(5):
        response = client.post(ADMIN_LOGIN, {"login": superuser.email, "password": "mala"})
        assert response.status_code == 200
    response = client.post(ADMIN_LOGIN, {"login": superuser.email, "password": PASSWORD})
    assert response.status_code == 200  # locked even with the right password
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_failed_logins_from_one_address_lock_it_out_of_the_admin(client, superuser):
    for n in range(10):
        client.post(ADMIN_LOGIN, {"login": f"nadie{n}@example.com", "password": "mala"})
    response = client.post(ADMIN_LOGIN, {"login": superuser.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_learner_signed_in_through_admin_login_gets_no_admin(client, ana):
    response = client.post(ADMIN_LOGIN, {"login": ana.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/mi-progreso/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 403
    assert client.get("/admin/accounts/user/").status_code in (302, 403)


def test_a_staff_user_gets_into_the_admin(superuser):
    client = Client()
    response = client.post(ADMIN_LOGIN, {"login": superuser.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
