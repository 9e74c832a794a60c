"""accounts.User: the email is the login, unique whatever its case."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_user_lowercases_the_email_and_hashes_the_password():
    user = User.objects.create_user("Ana@Example.COM", "una-clave-larga-123")
    assert user.email == "ana@example.com"
    assert user.check_password("una-clave-larga-123")
    assert not user.is_staff


def test_the_same_email_in_another_case_is_rejected_by_the_database():
    User.objects.create_user("ana@example.com", "x")
    with pytest.raises(IntegrityError):
        User.objects.create(email="ANA@example.com")


def test_login_lookup_ignores_case():
    User.objects.create_user("ana@example.com", "x")
    assert User.objects.get_by_natural_key("ANA@EXAMPLE.COM").email == "ana@example.com"


def test_display_name_is_shown_instead_of_the_email():
    assert str(User(email="ana@example.com", display_name="Ana")) == "Ana"
    assert str(User(email="ana@example.com")) == "ana@example.com"


def test_create_superuser():
    admin = User.objects.create_superuser("admin@example.com", "x")
    assert admin.is_staff and admin.is_superuser


def test_admin_can_create_a_user_with_the_admin_form(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "carla@example.com",
            "usable_password": "true",
            "password1": "una-clave-bien-larga-2026",
            "password2": "una-clave-bien-larga-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="carla@example.com").exists()


def test_an_email_is_stored_lower_case_however_it_is_written():
    user = User.objects.create(email="Beto@Example.com")
    user.email = "BETO@EXAMPLE.COM"
    user.save()
    user.refresh_from_db()
    assert user.email == "beto@example.com"
    with pytest.raises(IntegrityError):  # a bulk write that skips save() is refused too
        User.objects.filter(pk=user.pk).update(email="BETO@example.com")


def test_signing_in_with_the_email_in_capitals_looks_users_up_by_the_index(client):
    User.objects.create_user("ana@example.com", "una-clave-larga-123")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/accounts/login/", {"login": "  ANA@Example.com ", "password": "una-clave-larga-123"}
        )
    assert response.status_code == 302
    lookups = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]
    assert lookups, "the login looked nobody up"
    # Exact matches only: UPPER()/LIKE would scan every user instead of using the unique index.
    assert not [sql for sql in lookups if "UPPER(" in sql or "LIKE" in sql], lookups
