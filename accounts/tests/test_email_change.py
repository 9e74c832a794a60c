"""Changing the email at /accounts/email/ (ACCOUNT_CHANGE_EMAIL): real allauth flows, both modes.

The account keeps logging in with its current address until the new one is verified; User.email is
never left empty; no sequence of add / re-send / remove / make-primary / confirm answers a 500.
"""

import itertools
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

MODES = ["optional", "mandatory"]


@pytest.fixture(params=MODES)
def mode(request, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = request.param
    return request.param


def confirm_path(to: str) -> str:
    """The confirmation link of the last mail sent to `to`."""
    for message in reversed(mail.outbox):
        if message.to == [to]:
            match = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", message.body)
            assert match, message.body
            return match.group(1)
    raise AssertionError(f"no mail to {to}")


def signed_up(email: str, mode: str) -> Client:
    """A client signed in to a new account through the sign-up form (verified when mandatory)."""
    client = Client()
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", data).status_code == 302
    if mode == "mandatory":
        assert client.post(confirm_path(email)).status_code == 302
    assert client.get("/mi-progreso/").status_code == 200
    return client


def add(client: Client, email: str):
    return client.post("/accounts/email/", {"action_add": "", "email": email})


def act(client: Client, action: str, email: str):
    return client.post("/accounts/email/", {action: "", "email": email})


def logs_in(email: str) -> bool:
    response = Client().post("/accounts/login/", {"login": email, "password": PASSWORD})
    return response.status_code == 302 and response["Location"] == "/mi-progreso/"


def test_unverified_learner_adding_an_address_keeps_the_current_one(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    client = signed_up("uno@example.com", "optional")
    assert add(client, "uno.nuevo@example.com").status_code == 302
    user = User.objects.get(email="uno@example.com")
    assert logs_in("uno@example.com")
    response = Client().post("/accounts/password/reset/", {"email": "uno@example.com"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["uno@example.com"]
    assert set(user.emailaddress_set.values_list("email", "verified")) == {
        ("uno@example.com", False),
        ("uno.nuevo@example.com", False),
    }


def test_several_unverified_learners_can_change_their_address_one_after_another(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    for n in range(4):
        client = signed_up(f"persona{n}@example.com", "optional")
        assert add(client, f"persona{n}.nueva@example.com").status_code == 302
    assert not User.objects.filter(email="").exists()
    assert sorted(User.objects.filter(email__startswith="persona").values_list("email", flat=True))
    assert User.objects.filter(email__startswith="persona").count() == 4
    for n in range(4):
        assert logs_in(f"persona{n}@example.com")


def test_following_the_link_switches_the_login_to_the_new_address(mode):
    client = signed_up("dos@example.com", mode)
    add(client, "dos.nuevo@example.com")
    assert client.post(confirm_path("dos.nuevo@example.com")).status_code == 302
    user = User.objects.get(email="dos.nuevo@example.com")
    assert list(user.emailaddress_set.values_list("email", "verified", "primary")) == [
        ("dos.nuevo@example.com", True, True)
    ]
    assert logs_in("dos.nuevo@example.com")
    assert not logs_in("dos@example.com")


def test_an_account_created_outside_allauth_keeps_its_login_when_changing(mode, ana_client, ana):
    """ana was created with create_user: the email page creates her (unverified) address row."""
    assert ana_client.get("/accounts/email/").status_code == 200
    assert add(ana_client, "ana.nueva@example.com").status_code == 302
    ana.refresh_from_db()
    assert ana.email == "ana@example.com"
    assert ana_client.post(confirm_path("ana.nueva@example.com")).status_code == 302
    ana.refresh_from_db()
    assert ana.email == "ana.nueva@example.com"


def test_adding_again_replaces_the_pending_address(mode):
    client = signed_up("tres@example.com", mode)
    add(client, "tres.a@example.com")
    add(client, "tres.b@example.com")
    user = User.objects.get(email="tres@example.com")
    assert set(user.emailaddress_set.values_list("email", flat=True)) == {
        "tres@example.com",
        "tres.b@example.com",
    }
    client.get("/accounts/email/")  # shows (and consumes) the "mail sent" messages
    page = client.get("/accounts/email/").content.decode()
    assert "tres.b@example.com" in page and "tres.a@example.com" not in page


def test_resending_the_link_mails_the_pending_address(mode):
    client = signed_up("cuatro@example.com", mode)
    add(client, "cuatro.nuevo@example.com")
    cache.clear()  # allauth sends at most one link per address every 3 minutes
    sent = len(mail.outbox)
    assert act(client, "action_send", "cuatro.nuevo@example.com").status_code == 302
    assert len(mail.outbox) == sent + 1
    assert mail.outbox[-1].to == ["cuatro.nuevo@example.com"]
    assert User.objects.filter(email="cuatro@example.com").exists()


def test_cancelling_the_change_keeps_the_current_address(mode):
    client = signed_up("cinco@example.com", mode)
    add(client, "cinco.nuevo@example.com")
    assert act(client, "action_remove", "cinco.nuevo@example.com").status_code == 302
    user = User.objects.get(email="cinco@example.com")
    assert list(user.emailaddress_set.values_list("email", flat=True)) == ["cinco@example.com"]
    assert logs_in("cinco@example.com")


def test_the_current_address_cannot_be_removed(mode, ana_client, ana):
    ana_client.get("/accounts/email/")  # creates ana's address row (not primary)
    add(ana_client, "ana.nueva@example.com")
    assert act(ana_client, "action_remove", "ana@example.com").status_code == 302
    ana.refresh_from_db()
    assert ana.email == "ana@example.com"
    assert ana.emailaddress_set.filter(email="ana@example.com").exists()


def test_a_pending_address_cannot_be_made_primary(mode):
    client = signed_up("seis@example.com", mode)
    add(client, "seis.nuevo@example.com")
    response = act(client, "action_primary", "seis.nuevo@example.com")
    assert response.status_code == 302
    assert User.objects.filter(email="seis@example.com").exists()
    assert not logs_in("seis.nuevo@example.com") or mode == "optional"
    page = client.get("/accounts/email/").content.decode()
    assert "Primero confirmá la dirección nueva" in page


def test_making_another_accounts_login_primary_is_refused_not_a_500(mode, carla):
    client = signed_up("siete@example.com", mode)
    add(client, "carla@example.com")
    response = act(client, "action_primary", "carla@example.com")
    assert response.status_code == 302
    assert User.objects.filter(email="siete@example.com").exists()
    carla.refresh_from_db()
    assert carla.email == "carla@example.com"


def test_confirming_an_address_that_is_another_accounts_login_is_refused(mode, carla):
    client = signed_up("ocho@example.com", mode)
    add(client, "carla@example.com")
    response = client.post(confirm_path("carla@example.com"), follow=True)
    assert response.status_code == 200
    assert "ya es el email de otra cuenta" in response.content.decode()
    assert User.objects.filter(email="ocho@example.com").exists()
    assert not EmailAddress.objects.filter(email="carla@example.com", verified=True).exists()


def test_two_accounts_asking_for_the_same_address_only_the_first_to_confirm_gets_it(mode):
    uno, dos = signed_up("nueve@example.com", mode), signed_up("diez@example.com", mode)
    add(uno, "compartida@example.com")
    link_uno = confirm_path("compartida@example.com")
    cache.clear()
    add(dos, "compartida@example.com")
    link_dos = confirm_path("compartida@example.com")
    assert uno.post(link_uno).status_code == 302
    response = dos.post(link_dos, follow=True)
    assert response.status_code in (200, 404)
    assert User.objects.filter(email="compartida@example.com").count() == 1
    assert User.objects.filter(email="diez@example.com").exists()


ACTIONS = [
    ("action_add", "new"),
    ("action_add", "taken"),
    ("action_send", "new"),
    ("action_remove", "new"),
    ("action_remove", "current"),
    ("action_primary", "new"),
    ("action_primary", "current"),
    ("action_primary", "taken"),
]


@pytest.mark.parametrize("verification", MODES)
def test_no_sequence_of_email_actions_answers_a_500_or_empties_the_login(settings, verification):
    """Every pair of actions, then following every link mailed: always a redirect, never ''."""
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    User.objects.create_user("ocupada@example.com", PASSWORD)
    for n, steps in enumerate(itertools.product(ACTIONS, repeat=2)):
        cache.clear()
        current = f"s{n}@example.com"
        client = signed_up(current, verification)
        emails = {
            "new": f"s{n}.nuevo@example.com",
            "current": current,
            "taken": "ocupada@example.com",
        }
        for action, which in steps:
            response = client.post("/accounts/email/", {action: "", "email": emails[which]})
            assert response.status_code in (200, 302), (steps, response.status_code)
        user = User.objects.get(pk=User.objects.get(email=current).pk)
        for address in user.emailaddress_set.filter(verified=False):
            for message in [m for m in mail.outbox if m.to == [address.email]][-1:]:
                link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", message.body)
                if link:
                    response = client.post(link.group(1))
                    assert response.status_code in (200, 302, 404), (steps, response.status_code)
        user.refresh_from_db()
        assert user.email in {current, emails["new"]}, steps
        assert User.objects.filter(email="ocupada@example.com").count() == 1
        assert not User.objects.filter(email="").exists()


def test_the_email_page_shows_the_current_and_the_pending_address_in_voseo(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    client = signed_up("once@example.com", "optional")
    add(client, "once.nuevo@example.com")
    page = client.get("/accounts/email/", follow=True).content.decode()
    assert "Te mandamos un enlace de confirmación a once.nuevo@example.com." in page
    assert 'id="current_email"' in page and 'value="once@example.com"' in page
    assert 'id="new_email"' in page and 'value="once.nuevo@example.com"' in page
    assert "seguís entrando con tu email actual" in page
    assert "Cancelar el cambio" in page
