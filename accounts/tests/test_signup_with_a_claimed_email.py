"""Another account's unverified request to change to an address never blocks its owner's sign-up."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["optional", "mandatory"])
def mode(request, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = request.param
    return request.param


def signup(email: str):
    client = Client()
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client, client.post("/accounts/signup/", data)


def test_the_owner_signs_up_with_an_address_another_account_only_asked_for(mode, ana_client, ana):
    ana_client.post("/accounts/email/", {"action_add": "", "email": "x@example.com"})
    ana_link = re.search(r"/accounts/confirm-email/[^\s]+", mail.outbox[-1].body).group(0)
    client, response = signup("X@example.com")
    assert response.status_code == 302
    owner = User.objects.get(email="x@example.com")
    assert list(owner.emailaddress_set.values_list("email", flat=True)) == ["x@example.com"]
    # ana's claim is gone (her link too) and she keeps her own address.
    assert not EmailAddress.objects.filter(user=ana, email="x@example.com").exists()
    assert ana_client.post(ana_link).status_code == 404
    ana.refresh_from_db()
    assert ana.email == "ana@example.com"
    # The owner verifies with the link mailed to them and signs in.
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body)
    assert mail.outbox[-1].to == ["x@example.com"]
    assert client.post(link.group(1)).status_code == 302
    assert owner.emailaddress_set.get().verified
    login = Client().post("/accounts/login/", {"login": "x@example.com", "password": PASSWORD})
    assert login["Location"] == "/mi-progreso/"


def test_an_address_that_is_another_accounts_login_still_cannot_sign_up(mode, ana):
    _client, response = signup("ana@example.com")
    assert User.objects.filter(email__iexact="ana@example.com").count() == 1
    if mode == "optional":
        assert response.status_code == 200
        assert 'id="id_email_error"' in response.content.decode()
    else:  # mandatory: allauth hides that the account exists and mails its owner instead
        assert response.status_code == 302


def test_a_verified_address_of_another_account_still_cannot_sign_up(mode, ana):
    EmailAddress.objects.create(user=ana, email="ana@example.com", verified=True, primary=True)
    _client, _response = signup("ana@example.com")
    assert User.objects.filter(email__iexact="ana@example.com").count() == 1


def test_a_failed_sign_up_leaves_the_claim_alone(mode, ana_client, ana):
    ana_client.post("/accounts/email/", {"action_add": "", "email": "x@example.com"})
    client = Client()
    data = {"email": "x@example.com", "password1": PASSWORD, "password2": "otra-distinta-123"}
    assert client.post("/accounts/signup/", data).status_code == 200
    assert EmailAddress.objects.filter(user=ana, email="x@example.com").exists()
    assert not User.objects.filter(email="x@example.com").exists()
