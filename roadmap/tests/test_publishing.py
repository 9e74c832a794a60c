"""Unpublishing hides content everywhere but keeps learners' data (re-imports: test_import)."""

import datetime

import pytest
from django.utils import timezone

from roadmap.cohorts.selectors import cohort_matrix
from roadmap.learning.selectors import course_tallies
from roadmap.learning.services import progress_set_status
from roadmap.models import Cohort, CohortMembership, Note, Status, Topic, TopicProgress
from tests.course_factory import SECTION, TOPIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_done_topic(ana, course):
    topic = Topic.objects.get(slug=TOPIC.slug)
    progress_set_status(user=ana, topic=topic, status=Status.DONE)
    Note.objects.create(user=ana, topic=topic, body="mi nota")
    return topic


def test_unpublishing_hides_a_topic_everywhere_and_republishing_restores_it(
    ana_client, ana, ana_done_topic, course
):
    topic = ana_done_topic
    cohort = Cohort.objects.create(name="C", slug="c", start_date=timezone.localdate())
    CohortMembership.objects.create(cohort=cohort, user=ana)

    link = f'href="{SECTION.topic_url(TOPIC)}"'
    assert link in ana_client.get(SECTION.url()).content.decode()
    topic.is_published = False
    topic.save()
    assert ana_client.get(topic.get_absolute_url()).status_code == 404
    assert link not in ana_client.get(SECTION.url()).content.decode()
    found = ana_client.get("/buscar/", {"q": TOPIC.title}).content.decode()
    assert SECTION.topic_url(TOPIC) not in found
    total = course.topic_count
    assert f"<strong>{total - 1}</strong> temas" in ana_client.get("/").content.decode()
    assert course_tallies(ana).overall.label == f"0 de {total - 1} temas completados"
    assert cohort_matrix(cohort).rows[0].overall.done == 0
    assert "mi nota" not in ana_client.get("/mis-notas/").content.decode()
    # ...but nothing the learner owns is lost.
    assert TopicProgress.objects.get(user=ana, topic=topic).status == Status.DONE
    assert Note.objects.filter(user=ana, topic=topic).exists()

    topic.is_published = True
    topic.save()
    assert course_tallies(ana).overall.label == f"1 de {total} temas completados"
    assert cohort_matrix(cohort).rows[0].overall.done == 1
    assert "mi nota" in ana_client.get("/mis-notas/").content.decode()


def test_unpublishing_a_section_hides_its_topics_from_counts(ana, ana_done_topic, course):
    section = ana_done_topic.section
    section.is_published = False
    section.save()
    tallies = course_tallies(ana)
    assert tallies.overall.total == course.topic_count - len(SECTION.published_topics)
    assert tallies.overall.done == 0


def test_cohort_csv_ignores_unpublished_sections(client, ana, bruno, ana_done_topic, course):
    cohort = Cohort.objects.create(
        name="C", slug="c", start_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    ana_done_topic.section.is_published = False
    ana_done_topic.section.save()
    client.force_login(bruno)
    header = client.get("/cohortes/c/exportar.csv").getvalue().decode("utf-8-sig").splitlines()[0]
    assert SECTION.title not in header
    assert len(header.split(";")) == 2 + (course.section_count - 1) + 6
