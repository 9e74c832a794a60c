"""«Completar y seguir →»: marks the topic Completado and opens the next topic left to do."""

import pytest
from django.test import Client

from roadmap.learning.selectors import course_tallies
from roadmap.learning.services import progress_set_status
from roadmap.models import LearnerSummary, ProgressEvent, Status, Topic, TopicProgress
from tests.course_factory import COURSE, SECTION, TOPIC

pytestmark = pytest.mark.django_db

TOPICS = COURSE.topics  # published, in course order
SECTIONS = {topic.slug: section for section in COURSE.sections for topic in section.topics}


def url_of(spec) -> str:
    return SECTIONS[spec.slug].topic_url(spec)


def complete(client, spec, **data):
    return client.post(url_of(spec) + "completar-y-seguir/", data)


def row(spec) -> Topic:
    return Topic.objects.get(slug=spec.slug)


def status_of(user, spec) -> str | None:
    progress = TopicProgress.objects.filter(user=user, topic=row(spec)).first()
    return progress.status if progress else None


def test_it_completes_the_topic_and_opens_the_next_in_course_order(ana_client, ana, course):
    index = TOPICS.index(TOPIC)
    response = complete(ana_client, TOPIC)
    assert response.status_code == 302
    assert response["Location"] == url_of(TOPICS[index + 1])
    assert status_of(ana, TOPIC) == Status.DONE
    page = ana_client.get(response["Location"]).content.decode()
    assert f"«{TOPIC.title}»: Completado. Seguís con «{TOPICS[index + 1].title}»." in page


def test_it_goes_through_the_status_service(ana_client, ana, course):
    """Counts, history and the learner's running totals stay right."""
    complete(ana_client, TOPIC)
    assert ProgressEvent.objects.filter(user=ana, status=Status.DONE).count() == 1
    assert LearnerSummary.objects.get(user=ana).done == 1
    assert course_tallies(ana).overall.done == 1
    complete(ana_client, TOPIC)  # already completed: nothing new is recorded
    assert ProgressEvent.objects.filter(user=ana).count() == 1


def test_completed_and_omitted_topics_are_skipped_but_started_ones_are_not(ana, ana_client, course):
    index = TOPICS.index(TOPIC)
    after = TOPICS[index + 1 :]
    progress_set_status(user=ana, topic=row(after[0]), status=Status.DONE)
    progress_set_status(user=ana, topic=row(after[1]), status=Status.SKIPPED)
    progress_set_status(user=ana, topic=row(after[2]), status=Status.IN_PROGRESS)
    assert complete(ana_client, TOPIC)["Location"] == url_of(after[2])


def test_it_wraps_round_to_the_first_topic_left_earlier_in_the_course(ana, ana_client, course):
    last, earlier = TOPICS[-1], TOPICS[:-1]
    for spec in earlier[:2]:
        progress_set_status(user=ana, topic=row(spec), status=Status.DONE)
    assert complete(ana_client, last)["Location"] == url_of(earlier[2])


def test_with_nothing_left_my_progress_congratulates(ana, ana_client, course):
    for spec in TOPICS:
        if spec != TOPIC:
            progress_set_status(user=ana, topic=row(spec), status=Status.DONE)
    progress_set_status(user=ana, topic=row(TOPICS[0]), status=Status.SKIPPED)
    response = complete(ana_client, TOPIC)
    assert response["Location"] == "/mi-progreso/"
    page = ana_client.get("/mi-progreso/").content.decode()
    assert "¡Terminaste el curso: no te queda ningún tema pendiente!" in page
    assert status_of(ana, TOPIC) == Status.DONE


def test_unpublished_topics_are_never_opened(ana_client, course):
    index = TOPICS.index(TOPIC)
    Topic.objects.filter(slug=TOPICS[index + 1].slug).update(is_published=False)
    assert complete(ana_client, TOPIC)["Location"] == url_of(TOPICS[index + 2])


def test_the_last_topic_of_a_section_continues_in_the_next_section(ana_client, course):
    last_of_section = SECTION.published_topics[-1]
    following = TOPICS[TOPICS.index(last_of_section) + 1]
    assert SECTIONS[following.slug] != SECTION
    assert complete(ana_client, last_of_section)["Location"] == url_of(following)


@pytest.mark.parametrize("junk", ["https://malo.example/", "//malo.example", "/mi-progreso/"])
def test_a_next_in_the_form_does_not_choose_where_to_go(ana_client, course, junk):
    index = TOPICS.index(TOPIC)
    assert complete(ana_client, TOPIC, next=junk)["Location"] == url_of(TOPICS[index + 1])


def test_only_post(ana_client, ana, course):
    assert ana_client.get(url_of(TOPIC) + "completar-y-seguir/").status_code == 405
    assert not TopicProgress.objects.filter(user=ana).exists()


def test_it_needs_the_csrf_token(ana, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert complete(client, TOPIC).status_code == 403
    assert not TopicProgress.objects.filter(user=ana).exists()


def test_anonymous_is_sent_to_log_in_and_back_to_the_topic(client, course):
    response = complete(client, TOPIC)
    assert response["Location"] == "/accounts/login/?next=" + url_of(TOPIC)
    assert not TopicProgress.objects.exists()


def test_unknown_or_unpublished_topic_is_a_404(ana_client, course):
    assert ana_client.post(SECTION.url() + "no-existe/completar-y-seguir/").status_code == 404
    Topic.objects.filter(slug=TOPIC.slug).update(is_published=False)
    assert complete(ana_client, TOPIC).status_code == 404
