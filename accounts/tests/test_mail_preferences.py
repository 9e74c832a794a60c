"""Which emails people get: the profile's preferences, the signed unsubscribe page (signed out,
RFC 8058 one-click), what the export says, and what account deletion takes along."""

import datetime
import json
import re
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from accounts.models import User
from conftest import PASSWORD
from curso.emails import DIGEST, NUDGE, UNSUBSCRIBE_MAX_AGE, unsubscribe_token
from roadmap.models import Cohort, CohortMembership, DigestDelivery
from tests.voice import assert_voseo, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(ana, bruno):
    """Bruno teaches it, Ana learns in it."""
    cohort = Cohort.objects.create(name="C", slug="c", start_date=datetime.date(2026, 1, 1))
    CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    return cohort


def page(token: str) -> str:
    return f"/cuenta/baja/{token}/"


def test_a_learner_sees_the_nudges_choice_off_and_no_digest_choice(ana_client):
    html = ana_client.get("/cuenta/perfil/").content.decode()
    [nudges] = re.findall(r'<input type="checkbox" name="learner_nudges"[^>]*>', html)
    assert "checked" not in nudges
    assert "Recordatorios de mi ritmo" in html
    assert 'name="weekly_digest"' not in html


def test_an_instructor_sees_the_digest_choice_on(client, cohort, bruno):
    client.force_login(bruno)
    html = client.get("/cuenta/perfil/").content.decode()
    assert "Resumen semanal de mis cohortes" in html
    [digest] = re.findall(r'<input type="checkbox" name="weekly_digest"[^>]*>', html)
    assert "checked" in digest
    assert_voseo(visible_text(html), "perfil de un instructor")


def test_the_profile_saves_the_preferences(client, cohort, bruno):
    client.force_login(bruno)
    form = {"display_name": "Bruno", "time_zone": "America/Argentina/Buenos_Aires"}
    response = client.post("/cuenta/perfil/", {**form, "learner_nudges": "on"})
    assert response.status_code == 302
    bruno.refresh_from_db()
    assert (bruno.learner_nudges, bruno.weekly_digest) == (True, False)  # unchecked: off


def test_a_learner_cannot_turn_the_digest_off_by_posting_it(ana_client, ana):
    """The field is not theirs: a crafted POST leaves it as it was."""
    form = {"display_name": "Ana", "time_zone": "America/Argentina/Buenos_Aires"}
    ana_client.post("/cuenta/perfil/", form)
    ana.refresh_from_db()
    assert ana.weekly_digest is True


def test_get_shows_one_button_and_changes_nothing(client, ana):
    User.objects.filter(pk=ana.pk).update(learner_nudges=True)
    response = client.get(page(unsubscribe_token(ana.pk, NUDGE)))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<button") - html.count("nav-toggle") >= 1
    assert "Darme de baja" in html and 'name="csrfmiddlewaretoken"' in html
    assert "los recordatorios de tu ritmo" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert User.objects.get(pk=ana.pk).learner_nudges is True
    assert_voseo(visible_text(html), "página para darse de baja")


def test_the_page_button_unsubscribes_signed_out(client, ana):
    User.objects.filter(pk=ana.pk).update(learner_nudges=True)
    path = page(unsubscribe_token(ana.pk, NUDGE))
    response = client.post(path)
    assert response.status_code == 200
    assert "Listo: te diste de baja" in response.content.decode()
    assert_voseo(visible_text(response.content.decode()), "baja hecha")
    ana.refresh_from_db()
    assert (ana.learner_nudges, ana.weekly_digest) == (False, True)  # only that kind


def test_a_one_click_post_without_csrf_or_session_unsubscribes(ana):
    mail_client = Client(enforce_csrf_checks=True)
    path = page(unsubscribe_token(ana.pk, DIGEST))
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert User.objects.get(pk=ana.pk).weekly_digest is False


def test_a_signed_in_person_can_use_someone_elses_link_only_for_that_person(carla_client, ana):
    """The token says whose preference it is; the session does not matter."""
    carla_client.post(page(unsubscribe_token(ana.pk, DIGEST)))
    assert User.objects.get(pk=ana.pk).weekly_digest is False
    assert User.objects.get(email="carla@example.com").weekly_digest is True


def forged_tokens(ana) -> dict[str, str]:
    good = unsubscribe_token(ana.pk, NUDGE)
    payload, timestamp, signature = good.split(":")
    return {
        "altered signature": f"{payload}:{timestamp}:{signature[:-2]}xx",
        "another user's payload": ":".join(
            [unsubscribe_token(ana.pk + 1, NUDGE).split(":")[0], timestamp, signature]
        ),
        "default salt": signing.dumps({"u": ana.pk, "k": NUDGE.slug}),
        "unknown kind": signing.dumps({"u": ana.pk, "k": "todo"}, salt="curso.emails.unsubscribe"),
        "junk": "no-existe",
        "cut short": good[: len(good) // 2],
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_or_altered_tokens_get_a_clear_404_and_change_nothing(client, ana, method):
    User.objects.filter(pk=ana.pk).update(learner_nudges=True)
    for name, token in forged_tokens(ana).items():
        response = getattr(client, method)(page(token))
        assert response.status_code == 404, name
        assert "Este enlace para darte de baja no sirve" in response.content.decode(), name
    assert User.objects.get(pk=ana.pk).learner_nudges is True


def test_an_expired_token_gets_404(client, ana):
    token = unsubscribe_token(ana.pk, NUDGE)
    later = datetime.datetime.now().timestamp() + UNSUBSCRIBE_MAX_AGE.total_seconds() + 60
    with mock.patch("time.time", return_value=later):
        assert client.post(page(token)).status_code == 404
    assert client.get(page(token)).status_code == 200


def test_a_deleted_account_s_token_gets_404(client, ana):
    token = unsubscribe_token(ana.pk, NUDGE)
    ana.delete()
    assert client.get(page(token)).status_code == 404


def test_the_export_says_which_emails_are_asked_for(ana_client, ana, cohort):
    DigestDelivery.objects.create(cohort=cohort, instructor=ana, iso_year=2026, iso_week=47)
    data = json.loads(ana_client.get("/cuenta/exportar/curso-datos.json").content)
    emails = data["emails"]
    assert emails["recordatorios"] is False and emails["resumen_semanal"] is True
    assert emails["ultimo_recordatorio"] == ""
    assert emails["resumenes_semanales_enviados"][0]["semana"] == "2026-W47"
    assert "recordatorios" in data["acerca_de_los_emails"]


def test_deleting_the_account_deletes_its_digest_records(client, cohort, bruno):
    DigestDelivery.objects.create(cohort=cohort, instructor=bruno, iso_year=2026, iso_week=47)
    client.force_login(bruno)
    client.post("/cuenta/eliminar/", {"password": PASSWORD})
    assert not User.objects.filter(pk=bruno.pk).exists()
    assert not DigestDelivery.objects.exists()
    assert CohortMembership.objects.filter(role="aprendiz").exists()
