"""Real allauth flows: sign up (both verification modes), log in/out, reset, email change."""

import re

import pytest
from django.core import mail

from accounts.models import User
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "otra-clave-bastante-larga-77"


def signup(client, email="nuevo@example.com"):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def link_in_last_mail(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_signup_page_is_spanish_and_uses_the_site_layout(client):
    html = client.get("/accounts/signup/").content.decode()
    assert '<html lang="es">' in html
    assert "<main" in html and 'class="site-header"' in html
    assert "Creá tu cuenta" in html
    assert html.count("<h1") == 1


def test_password_help_is_not_a_list_inside_a_paragraph(client):
    html = client.get("/accounts/signup/").content.decode()
    assert not re.search(r"<p[^>]*>(?:(?!</p>).)*<ul", html, re.S)
    assert not re.search(r"<span[^>]*>(?:(?!</span>).)*<ul", html, re.S)
    assert 'aria-describedby="id_password1_helptext"' in html


def test_signup_with_optional_verification_logs_in_and_sends_a_mail(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="nuevo@example.com")
    assert client.get("/mi-progreso/").status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nuevo@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert user.check_password(PASSWORD)


def test_signup_with_mandatory_verification_needs_the_mailed_link(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/mi-progreso/").status_code == 302  # not signed in yet
    confirm_url = link_in_last_mail(r"http://testserver(/accounts/confirm-email/[^\s]+)")
    confirm_path = confirm_url.replace("http://testserver", "")
    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert client.get("/mi-progreso/").status_code == 200
    assert User.objects.get(email="nuevo@example.com").emailaddress_set.get().verified


def test_mandatory_verification_blocks_login_until_verified(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    signup(client)
    client.logout()
    response = client.post("/accounts/login/", {"login": "nuevo@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/mi-progreso/").status_code == 302


def test_signup_with_a_taken_email_is_refused(client, ana):
    response = signup(client, email="ANA@example.com")
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="ana@example.com").count() == 1
    assert 'id="id_email_error"' in response.content.decode()


def test_login_and_logout(client, ana):
    response = client.post("/accounts/login/", {"login": "ana@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/mi-progreso/"
    assert client.get("/mi-progreso/").status_code == 200
    # GET only asks for confirmation; POST logs out.
    assert client.get("/accounts/logout/").status_code == 200
    assert client.get("/mi-progreso/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/mi-progreso/").status_code == 302


def test_login_goes_back_to_next(client, ana):
    response = client.post(
        "/accounts/login/?next=/mis-notas/",
        {"login": "ana@example.com", "password": PASSWORD, "next": "/mis-notas/"},
    )
    assert response["Location"] == "/mis-notas/"


def test_wrong_password_shows_a_spanish_error(client, ana):
    response = client.post("/accounts/login/", {"login": "ana@example.com", "password": "mala"})
    assert response.status_code == 200
    assert "no son correctas" in response.content.decode()


def test_failed_logins_are_rate_limited(client, ana):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "ana@example.com", "password": "mala"})
    response = client.post("/accounts/login/", {"login": "ana@example.com", "password": PASSWORD})
    assert response.status_code == 200  # blocked even with the right password
    assert client.get("/mi-progreso/").status_code == 302


def test_password_reset_by_mail(client, ana):
    response = client.post("/accounts/password/reset/", {"email": "ana@example.com"})
    assert response.status_code == 302
    link = link_in_last_mail(r"http://testserver(/accounts/password/reset/key/[^\s]+)")
    path = link.replace("http://testserver", "")
    response = client.get(path)
    assert response.status_code == 302  # allauth hides the key behind a redirect
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.check_password(NEW_PASSWORD)


def test_password_change(ana_client, ana):
    response = ana_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.check_password(NEW_PASSWORD)


def test_email_change_sends_a_verification_mail(ana_client, ana):
    response = ana_client.post(
        "/accounts/email/", {"action_add": "", "email": "ana.nueva@example.com"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["ana.nueva@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_account_pages_need_login(client):
    for url in ["/cuenta/perfil/", "/cuenta/exportar/", "/cuenta/eliminar/", "/mis-notas/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
