"""The weekly digest instructors get (roadmap/cohorts/digest.py, `send_weekly_digests`): what it
says, who gets it, once per ISO week, the opt-out, and its signed-out unsubscribe link."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from accounts.models import User
from conftest import PASSWORD
from roadmap.cohorts.content import cohort_content
from roadmap.cohorts.digest import send_weekly_digests
from roadmap.learning.services import progress_set_status
from roadmap.models import Cohort, CohortMembership, DigestDelivery, Section, Status, Topic
from tests.clock import set_status_at
from tests.course_factory import CONSTELLATIONS, FIRST_SECTION, SECOND_SECTION
from tests.voice import assert_voseo, visible_text

pytestmark = pytest.mark.django_db

SITE = "https://curso.example.org"
LINK = re.compile(r"^(https?://\S+)$", re.M)
# A Wednesday in the middle of an ISO week (2026-W47), noon in Buenos Aires.
NOW = datetime.datetime(2026, 11, 18, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def learner(cohort, email, name):
    user = User.objects.create_user(email, PASSWORD, display_name=name)
    CohortMembership.objects.create(cohort=cohort, user=user)
    return user


@pytest.fixture
def week(cohort, ana):
    """Bruno's cohort on `NOW`: Constelaciones was due 3 days ago.
    - Ana finished Constelaciones 2 days ago: on track, active, finished a section this week;
    - Carla never marked a topic: behind and inactive;
    - Diego finished Planetas 10 days ago: behind on Constelaciones, inactive."""
    Cohort.objects.filter(pk=cohort.pk).update(start_date=datetime.date(2026, 10, 1))
    cohort.targets.create(
        section=Section.objects.get(slug=FIRST_SECTION.slug),
        due_date=datetime.date(2026, 11, 15),
    )
    carla = learner(cohort, "carla@example.com", "Carla")
    diego = learner(cohort, "diego@example.com", "Diego")
    for topic in CONSTELLATIONS:
        set_status_at(
            NOW - datetime.timedelta(days=2),
            user=ana,
            topic=Topic.objects.get(slug=topic.slug),
            status=Status.DONE,
        )
    for topic in SECOND_SECTION.published_topics:
        set_status_at(
            NOW - datetime.timedelta(days=10),
            user=diego,
            topic=Topic.objects.get(slug=topic.slug),
            status=Status.DONE,
        )
    return {"ana": ana, "carla": carla, "diego": diego}


def paragraphs(body: str) -> list[str]:
    return [block.strip() for block in body.split("\n\n")]


def block_starting(body: str, start: str) -> list[str]:
    [block] = [b for b in paragraphs(body) if b.startswith(start)]
    return block.splitlines()[1:]


def test_the_digest_names_who_is_behind_inactive_and_finished_with_the_dashboard_link(
    week, cohort, bruno
):
    send_weekly_digests(now=NOW)
    [message] = mail.outbox
    assert message.to == [bruno.email]
    assert message.subject == "[curso] Resumen semanal de Cohorte marzo"
    body = message.body
    assert body.startswith("¡Hola! Te escribimos desde curso.")
    assert body.rstrip().endswith("Saludos,\ncurso")
    assert "(3 aprendices), desde el 11/11/2026." in body
    assert block_starting(body, "Atrasados/as con sus metas (2):") == [
        "- Carla: Constelaciones",
        "- Diego: Constelaciones",
    ]
    assert block_starting(body, "Sin actividad hace 7 días o más (2):") == [
        "- Carla: todavía no marcó ningún tema",
        "- Diego: su último cambio fue el 08/11/2026",
    ]
    assert block_starting(body, "Terminaron secciones en estos 7 días (1):") == [
        "- Ana: Constelaciones"
    ]  # Diego finished Planetas 10 days ago: not this week
    links = LINK.findall(body)
    assert f"{SITE}/cohortes/{cohort.slug}/" in links  # on its own line, whole
    assert all(link.startswith(SITE) for link in links)


def test_the_html_version_says_the_same_in_voseo(week, bruno):
    send_weekly_digests(now=NOW)
    [message] = mail.outbox
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    shown = re.sub(r"\s+", " ", visible_text(html))
    for line in message.body.splitlines():
        line = re.sub(r"\s+", " ", line).strip().removeprefix("- ")  # list items
        assert line in shown, line
    assert_voseo(message.body, "resumen semanal")
    assert_voseo(shown, "resumen semanal (HTML)")


def test_a_quiet_week_says_so(cohort, ana, bruno):
    progress_set_status(
        user=ana, topic=Topic.objects.get(slug=CONSTELLATIONS[0].slug), status=Status.IN_PROGRESS
    )
    send_weekly_digests()
    [message] = mail.outbox
    assert "Nadie está atrasado/a con sus metas." in message.body
    assert "Nadie pasó 7 días sin actividad." in message.body
    assert "Nadie terminó una sección en estos 7 días." in message.body


def test_one_email_per_instructor_and_cohort(week, cohort, bruno):
    elena = User.objects.create_user("elena@example.com", PASSWORD, display_name="Elena")
    CohortMembership.objects.create(cohort=cohort, user=elena, role="instructor")
    other = Cohort.objects.create(name="Otra", slug="otra", start_date=datetime.date(2026, 9, 1))
    CohortMembership.objects.create(cohort=other, user=bruno, role="instructor")
    CohortMembership.objects.create(cohort=other, user=week["carla"])
    send_weekly_digests(now=NOW)
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == [
        ("bruno@example.com", "[curso] Resumen semanal de Cohorte marzo"),
        ("bruno@example.com", "[curso] Resumen semanal de Otra"),
        ("elena@example.com", "[curso] Resumen semanal de Cohorte marzo"),
    ]
    assert DigestDelivery.objects.count() == 3


def test_running_twice_in_a_week_sends_nothing_new_and_the_next_week_sends_again(week, bruno):
    first = send_weekly_digests(now=NOW)
    assert first == [
        "«Cohorte marzo» → bruno@example.com: resumen encolado (2 atrasados/as, "
        "2 inactivos/as, 1 terminaron secciones)."
    ]
    sunday_night = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)  # 22/11 23:00 local
    again = send_weekly_digests(now=sunday_night)
    assert again == ["«Cohorte marzo» → bruno@example.com: ya se envió la semana 47 de 2026."]
    assert len(mail.outbox) == 1
    send_weekly_digests(now=NOW + datetime.timedelta(days=5))  # Monday of week 48
    assert len(mail.outbox) == 2
    weeks = DigestDelivery.objects.order_by("sent_at").values_list("iso_year", "iso_week")
    assert list(weeks) == [(2026, 47), (2026, 48)]


def test_the_command_reports_in_spanish_and_is_idempotent(cohort, bruno, capsys):
    call_command("send_weekly_digests")
    call_command("send_weekly_digests")
    out = capsys.readouterr().out.splitlines()
    year, week, _ = timezone.localdate().isocalendar()
    assert out[0].startswith("«Cohorte marzo» → bruno@example.com: resumen encolado (")
    assert out[1] == f"«Cohorte marzo» → bruno@example.com: ya se envió la semana {week} de {year}."
    assert len(mail.outbox) == 1


def test_an_instructor_who_turned_it_off_gets_nothing(week, bruno):
    User.objects.filter(pk=bruno.pk).update(weekly_digest=False)
    assert send_weekly_digests(now=NOW) == [
        "«Cohorte marzo» → bruno@example.com: lo desactivó; no se envía."
    ]
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_cohorts_without_learners_inactive_or_long_ended_get_no_digest(course, bruno):
    empty = Cohort.objects.create(name="Vacía", slug="vacia", start_date=datetime.date(2026, 9, 1))
    CohortMembership.objects.create(cohort=empty, user=bruno, role="instructor")
    ended = Cohort.objects.create(
        name="Terminada",
        slug="terminada",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 11, 1),
    )
    paused = Cohort.objects.create(
        name="Pausada", slug="pausada", start_date=datetime.date(2026, 1, 1), is_active=False
    )
    for cohort in (ended, paused):
        CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
        learner(cohort, f"aprendiz-{cohort.slug}@example.com", "Aprendiz")
    assert send_weekly_digests(now=NOW) == ["«Vacía»: todavía no tiene aprendices; no se envía."]
    assert mail.outbox == []


def test_a_cohort_that_ended_last_week_still_gets_its_last_digest(cohort, bruno):
    Cohort.objects.filter(pk=cohort.pk).update(
        start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2026, 11, 14)
    )
    send_weekly_digests(now=NOW)
    assert len(mail.outbox) == 1


def test_a_failed_queue_records_nothing_and_the_next_run_sends(week, bruno):
    failing = mock.patch("roadmap.cohorts.digest.enqueue_email", side_effect=DatabaseError("x"))
    with failing, pytest.raises(DatabaseError):
        send_weekly_digests(now=NOW)
    assert not DigestDelivery.objects.exists()
    send_weekly_digests(now=NOW)
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.count() == 1


def test_the_unsubscribe_link_works_signed_out_and_stops_the_digest(week, bruno):
    send_weekly_digests(now=NOW)
    [message] = mail.outbox
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in LINK.findall(message.body)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe.removeprefix(SITE)
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "el resumen semanal de tus cohortes" in page.content.decode()
    assert User.objects.get(pk=bruno.pk).weekly_digest is True  # GET changes nothing
    assert anonymous.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert User.objects.get(pk=bruno.pk).weekly_digest is False
    send_weekly_digests(now=NOW + datetime.timedelta(days=7))
    assert len(mail.outbox) == 1


def test_the_digest_costs_the_same_queries_for_3_and_30_learners(
    cohort, bruno, django_assert_num_queries
):
    def add(count, start):
        for i in range(start, start + count):
            user = learner(cohort, f"a{i}@example.com", f"A{i}")
            progress_set_status(
                user=user, topic=Topic.objects.get(slug=CONSTELLATIONS[0].slug), status="completado"
            )

    add(2, 0)
    cohort_content()  # the course's side is built once per content version, not per digest
    with django_assert_num_queries(15) as small:
        send_weekly_digests()
    DigestDelivery.objects.all().delete()
    add(27, 2)
    with django_assert_num_queries(len(small.captured_queries)):
        send_weekly_digests()
