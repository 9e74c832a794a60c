"""Learner nudges (roadmap/learning/nudges.py, `send_learner_nudges`): opt-in, the rules
(behind, inactive, neither), at most one a week, and the RFC 8058 one-click unsubscribe."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from conftest import PASSWORD
from roadmap.cohorts.content import cohort_content
from roadmap.learning.nudges import send_learner_nudges
from roadmap.learning.services import progress_set_status
from roadmap.models import Cohort, Section, Status, Topic
from tests.clock import set_status_at
from tests.course_factory import CONSTELLATIONS, FIRST_SECTION
from tests.voice import assert_voseo, visible_text

pytestmark = pytest.mark.django_db

SITE = "https://curso.example.org"
LINK = re.compile(r"^(https?://\S+)$", re.M)
NOW = datetime.datetime(2026, 11, 18, 15, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def opt_in(user):
    User.objects.filter(pk=user.pk).update(learner_nudges=True)


def active(user, when=NOW):
    """A status change at `when`."""
    set_status_at(
        when, user=user, topic=Topic.objects.get(slug=CONSTELLATIONS[0].slug), status="en_progreso"
    )


@pytest.fixture
def behind(cohort, ana):
    """Ana is active on `NOW` but Constelaciones, due on 15/11, is not finished."""
    Cohort.objects.filter(pk=cohort.pk).update(start_date=datetime.date(2026, 10, 1))
    cohort.targets.create(
        section=Section.objects.get(slug=FIRST_SECTION.slug),
        due_date=datetime.date(2026, 11, 15),
    )
    active(ana)
    return ana


def test_nudges_are_off_by_default(behind):
    assert User.objects.get(pk=behind.pk).learner_nudges is False
    assert send_learner_nudges(now=NOW) == [
        "0 personas con recordatorios activados; 0 recordatorios encolados."
    ]
    assert mail.outbox == []


def test_a_learner_behind_a_target_gets_one_nudge_naming_it(behind):
    opt_in(behind)
    assert send_learner_nudges(now=NOW) == [
        "ana@example.com: recordatorio encolado (atrasado/a en 1 sección).",
        "1 persona con recordatorios activados; 1 recordatorio encolado.",
    ]
    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.subject == "[curso] Un recordatorio de tu ritmo"
    assert "Vas atrasado/a en la cohorte «Cohorte marzo»:" in message.body
    assert "- Constelaciones (la meta era el 15/11/2026)" in message.body
    assert "que no marcás un tema" not in message.body  # she is active
    assert f"{SITE}/mi-progreso/" in LINK.findall(message.body)


def test_a_learner_inactive_for_7_days_gets_a_nudge(ana):
    opt_in(ana)
    active(ana, NOW - 9 * DAY)
    send_learner_nudges(now=NOW)
    [message] = mail.outbox
    assert "Hace 9 días que no marcás un tema (tu último cambio fue el 09/11/2026)." in message.body
    assert "atrasado/a" not in message.body


def test_a_learner_who_never_marked_a_topic_counts_from_signing_up(ana):
    opt_in(ana)
    User.objects.filter(pk=ana.pk).update(date_joined=NOW - 6 * DAY)
    send_learner_nudges(now=NOW)
    assert mail.outbox == []
    User.objects.filter(pk=ana.pk).update(date_joined=NOW - 8 * DAY)
    send_learner_nudges(now=NOW)
    [message] = mail.outbox
    assert "Todavía no marcaste ningún tema." in message.body


def test_a_learner_neither_behind_nor_inactive_gets_nothing(cohort, ana):
    opt_in(ana)
    active(ana, NOW - 2 * DAY)
    send_learner_nudges(now=NOW)
    assert mail.outbox == []


def test_at_most_one_nudge_a_week(behind):
    opt_in(behind)
    send_learner_nudges(now=NOW)
    for later in (NOW + DAY, NOW + 6 * DAY):
        assert send_learner_nudges(now=later) == [
            "1 persona con recordatorios activados; 0 recordatorios encolados."
        ]
    assert len(mail.outbox) == 1
    assert User.objects.get(pk=behind.pk).last_nudge_at == NOW
    send_learner_nudges(now=NOW + 7 * DAY)
    assert len(mail.outbox) == 2


def test_the_nudge_has_list_unsubscribe_headers_and_an_html_version_in_voseo(behind):
    opt_in(behind)
    send_learner_nudges(now=NOW)
    [message] = mail.outbox
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(rf"<{SITE}/cuenta/baja/[^/\s]+/>", unsubscribe)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in LINK.findall(message.body)  # also in the text, whole
    [(html, _mimetype)] = message.alternatives
    shown = re.sub(r"\s+", " ", visible_text(html))
    for line in message.body.splitlines():
        line = re.sub(r"\s+", " ", line).strip().removeprefix("- ")
        assert line in shown, line
    assert_voseo(message.body, "recordatorio")
    assert_voseo(shown, "recordatorio (HTML)")


def test_the_one_click_post_unsubscribes_without_session_or_csrf(behind):
    opt_in(behind)
    send_learner_nudges(now=NOW)
    path = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    mail_client = Client(enforce_csrf_checks=True)  # no cookies, no token: a mail client
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert User.objects.get(pk=behind.pk).learner_nudges is False
    send_learner_nudges(now=NOW + 8 * DAY)
    assert len(mail.outbox) == 1


def test_turning_nudges_off_between_the_read_and_the_claim_sends_nothing(behind, monkeypatch):
    from roadmap.learning import nudges

    opt_in(behind)
    due = nudges.due_nudges

    def then_turned_off(now):
        found = due(now)
        User.objects.filter(pk=behind.pk).update(learner_nudges=False)
        return found

    monkeypatch.setattr(nudges, "due_nudges", then_turned_off)
    assert send_learner_nudges(now=NOW)[0] == (
        "ana@example.com: otro proceso ya lo hizo; no se envía."
    )
    assert mail.outbox == []
    assert User.objects.get(pk=behind.pk).last_nudge_at is None


def test_an_ended_cohort_does_not_make_anyone_behind(behind, cohort):
    opt_in(behind)
    Cohort.objects.filter(pk=cohort.pk).update(end_date=datetime.date(2026, 11, 16))
    send_learner_nudges(now=NOW)
    assert mail.outbox == []


def test_the_command_reports_in_spanish(ana, capsys):
    opt_in(ana)
    User.objects.filter(pk=ana.pk).update(date_joined=timezone.now() - 30 * DAY)
    call_command("send_learner_nudges")
    call_command("send_learner_nudges")
    assert capsys.readouterr().out.splitlines() == [
        "ana@example.com: recordatorio encolado (nunca marcó un tema).",
        "1 persona con recordatorios activados; 1 recordatorio encolado.",
        "1 persona con recordatorios activados; 0 recordatorios encolados.",
    ]
    assert len(mail.outbox) == 1


def test_nudges_cost_the_same_queries_for_2_and_20_learners(behind, django_assert_num_queries):
    def add(count, start):
        for i in range(start, start + count):
            user = User.objects.create_user(f"a{i}@example.com", PASSWORD, learner_nudges=True)
            behind_cohort.memberships.create(user=user)
            progress_set_status(
                user=user, topic=Topic.objects.get(slug=CONSTELLATIONS[0].slug), status=Status.DONE
            )

    behind_cohort = Cohort.objects.get()
    add(2, 0)
    cohort_content()  # the course's side is built once per content version, not per run
    with django_assert_num_queries(10 + 2 * 3) as small:  # 3 per nudge: see below
        send_learner_nudges()
    User.objects.update(last_nudge_at=None)
    add(18, 2)
    mail.outbox.clear()
    # Each nudge: its transaction (a savepoint here), the claiming UPDATE, the release.
    with django_assert_num_queries(len(small.captured_queries) + 18 * 3):
        send_learner_nudges()
    assert len(mail.outbox) == 20
