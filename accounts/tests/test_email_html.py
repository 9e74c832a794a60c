"""The emails people act on come as text plus an HTML alternative with the same words, in voseo,
the link as a link and also written out (templates/account/email/*.html)."""

import re

import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD
from tests.voice import assert_voseo, visible_text

LINK = re.compile(r"^(https?://\S+)$", re.M)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def emails(ana):
    """Signup, adding an address and a password reset: the three emails with an HTML version."""
    client, ana_client = Client(), Client()
    ana_client.force_login(ana)
    client.post(
        "/accounts/signup/",
        {"email": "nuevo@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    ana_client.post("/accounts/email/", {"action_add": "", "email": "ana.nueva@example.com"})
    Client().post("/accounts/password/reset/", {"email": "ana@example.com"})
    assert [message.to for message in mail.outbox] == [
        ["nuevo@example.com"],
        ["ana.nueva@example.com"],
        ["ana@example.com"],
    ]
    return mail.outbox


@pytest.mark.django_db
def test_each_email_has_an_html_version_with_the_same_words(emails):
    for message in emails:
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        shown = one_line(visible_text(html))
        for line in message.body.splitlines():
            assert one_line(line) in shown, (message.subject, line)
        assert shown.startswith("curso ¡Hola! Te escribimos desde curso.")  # <title>, then body
        assert_voseo(shown, f"HTML de {message.subject}")


@pytest.mark.django_db
def test_the_link_is_a_real_link_and_also_written_out(emails):
    for message in emails:
        [link] = LINK.findall(message.body)
        html = message.alternatives[0].content
        assert html.count(f'<a href="{link}"') == 2  # the button and the written-out address
        assert f">{link}</a>" in html
        assert "Si el botón no abre, copiá esta dirección en tu navegador:" in html


@pytest.mark.django_db
def test_the_html_is_self_contained_and_accessible(emails):
    for message in emails:
        html = message.alternatives[0].content
        assert html.startswith('<!DOCTYPE html>\n<html lang="es">')
        assert '<meta charset="utf-8">' in html
        assert not re.search(r"<(style|script|link|img)\b", html)  # inline styles, nothing fetched
        assert "http://testserver/static" not in html


@pytest.mark.django_db
def test_an_address_in_the_html_is_escaped(ana):
    Client().post(
        "/accounts/signup/",
        {"email": "o'brien@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mail.outbox
    html = message.alternatives[0].content
    assert "o&#x27;brien@example.com se usó para crear una cuenta" in html


@pytest.mark.django_db
def test_emails_without_an_html_version_go_as_text(client):
    client.post("/accounts/password/reset/", {"email": "nadie@example.com"})
    [message] = mail.outbox
    assert message.subject == "[curso] Cuenta desconocida"
    assert message.alternatives == []
    assert message.body.startswith("¡Hola! Te escribimos desde curso.")
