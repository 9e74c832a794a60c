"""One voice: every account page, form error, message and email speaks voseo, signed "curso".

allauth and Django ship Spanish in usted ("¿Ya tiene una cuenta? Por favor inicie sesión") mixed
with tú ("vete a…"); `locale/es/LC_MESSAGES/django.po` rewrites those strings in voseo.
"""

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from conftest import PASSWORD
from curso.console_mail import EmailBackend as ConsoleBackend
from tests.voice import assert_voseo, visible_text

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def test_the_committed_catalog_is_compiled_from_the_po_file(tmp_path):
    """A .po edit without recompiling the .mo would silently keep the old wording."""
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) no está instalado")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(LOCALE / "django.po")], check=True)
    with fresh.open("rb") as f:
        expected = gettext.GNUTranslations(f)._catalog
    with (LOCALE / "django.mo").open("rb") as f:
        committed = gettext.GNUTranslations(f)._catalog
    assert committed == expected


def test_no_translation_in_the_catalog_uses_usted_or_tu():
    with (LOCALE / "django.mo").open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    translations = [text for key, text in catalog.items() if key]
    assert len(translations) > 400
    for text in translations:
        assert_voseo(text, "catálogo")


@pytest.mark.django_db
def test_anonymous_account_pages_speak_voseo(client):
    for url in [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/clave-vencida/",
        "/accounts/password/reset/key/1-clave-vencida/",
        "/accounts/inactive/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_voseo(visible_text(response.content.decode()), url)


@pytest.mark.django_db
def test_password_rules_and_form_errors_speak_voseo(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "Tu contraseña no puede tener solo números." in visible_text(page)

    response = client.post(
        "/accounts/signup/", {"email": "no-es-un-email", "password1": "123", "password2": "124"}
    )
    text = visible_text(response.content.decode())
    assert "Ingresá una dirección de email válida." in text
    assert_voseo(text, "registro con errores")

    response = client.post(
        "/accounts/signup/",
        {"email": "nueva@example.com", "password1": "12345678", "password2": "12345678"},
    )
    text = visible_text(response.content.decode())
    assert "Esta contraseña es completamente numérica." in text
    assert_voseo(text, "contraseña numérica")


@pytest.mark.django_db
def test_signed_in_account_pages_and_messages_speak_voseo(ana_client):
    for url in ["/accounts/email/", "/accounts/password/change/", "/accounts/logout/"]:
        response = ana_client.get(url)
        assert response.status_code == 200, url
        assert_voseo(visible_text(response.content.decode()), url)

    response = ana_client.post(
        "/accounts/password/change/",
        {"oldpassword": "no-es-esta", "password1": "x", "password2": "y"},
    )
    text = visible_text(response.content.decode())
    assert "Ingresá tu contraseña actual." in text or "contraseña actual" in text
    assert_voseo(text, "cambio de contraseña con errores")

    response = ana_client.post("/accounts/logout/")
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Cerraste sesión."]


@pytest.mark.django_db
def test_login_messages_speak_voseo(client, ana):
    response = client.post(
        "/accounts/login/", {"login": "ana@example.com", "password": "mala"}, follow=True
    )
    assert_voseo(visible_text(response.content.decode()), "login fallido")
    response = client.post(
        "/accounts/login/", {"login": "ana@example.com", "password": PASSWORD}, follow=True
    )
    text = visible_text(response.content.decode())
    assert "Iniciaste sesión como Ana." in text
    assert_voseo(text, "login")


@pytest.mark.django_db
def test_emails_speak_voseo_and_are_signed_by_the_site_not_the_host(ana):
    client, ana_client = Client(), Client()
    ana_client.force_login(ana)
    client.post(
        "/accounts/signup/",
        {"email": "nuevo@example.com", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="127.0.0.1:8201",
    )
    ana_client.post(
        "/accounts/email/",
        {"action_add": "", "email": "ana.nueva@example.com"},
        HTTP_HOST="127.0.0.1:8201",
    )
    client.post(
        "/accounts/password/reset/", {"email": "ana@example.com"}, HTTP_HOST="127.0.0.1:8201"
    )
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "[curso] Confirmá tu dirección de email",
        "[curso] Confirmá tu dirección de email",
        "[curso] Restablecé tu contraseña",
    ]
    for message in mail.outbox:
        assert message.body.startswith("¡Hola! Te escribimos desde curso.")
        assert "127.0.0.1:8201!" not in message.body  # no greeting "from" the host
        assert re.search(r"^http://127\.0\.0\.1:8201/accounts/\S+/$", message.body, re.M)
        assert_voseo(message.subject + "\n" + message.body, message.subject)


def test_the_development_console_prints_links_whole():
    """Django's console backend prints quoted-printable: a long link breaks over "=" lines."""
    link = "http://127.0.0.1:8000/accounts/confirm-email/" + "MQ:1xWmXh:" + "a" * 80 + "/"
    stream = io.StringIO()
    message = mail.EmailMultiAlternatives(
        "Confirmá tu dirección de email",
        f"¡Hola! Te escribimos desde curso.\n\nAbrí este enlace:\n\n{link}\n",
        "curso <no-responder@localhost>",
        ["ana@example.com"],
    )
    message.attach_alternative(f'<p><a href="{link}">Confirmá</a></p>', "text/html")
    ConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert f"\n{link}\n" in printed
    assert "Subject: Confirmá tu dirección de email" in printed
    assert "To: ana@example.com" in printed
    assert "[text/html]" in printed


def test_deploy_check_refuses_the_console_backend(settings):
    settings.MAILERS = {"default": {"BACKEND": "curso.console_mail.EmailBackend"}}
    with pytest.raises(SystemCheckError, match="accounts.E001"):
        call_command("check", deploy=True, tags=["mail"], stdout=io.StringIO())
