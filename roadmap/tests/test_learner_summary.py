"""Each learner's running totals (LearnerSummary): kept by every status change, equal to a
recount, and read by the lists of many learners with unpublished topics taken off."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from roadmap.cohorts.selectors import cohort_matrix, cohort_summaries
from roadmap.learning.selectors import LearnerTallies, course_tallies
from roadmap.learning.services import progress_set_status
from roadmap.learning.summary import rebuild_learner_summaries
from roadmap.models import Cohort, CohortMembership, LearnerSummary, Status, Topic, TopicProgress
from tests.clock import set_status_at
from tests.course_factory import CONSTELLATIONS, OTHER_TOPIC, TOPIC, UNPUBLISHED_TOPIC

pytestmark = pytest.mark.django_db


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


def totals(user) -> tuple:
    row = LearnerSummary.objects.get(user=user)
    return (row.done, row.skipped, row.in_progress, row.last_activity_at)


def test_the_totals_follow_every_change_and_equal_a_recount(ana, course):
    moments = [timezone.now() - datetime.timedelta(hours=h) for h in (5, 4, 3, 2, 1)]
    set_status_at(moments[0], user=ana, topic=topic(TOPIC.slug), status=Status.IN_PROGRESS)
    set_status_at(moments[1], user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    set_status_at(moments[2], user=ana, topic=topic(OTHER_TOPIC.slug), status=Status.SKIPPED)
    set_status_at(moments[3], user=ana, topic=topic(CONSTELLATIONS[0].slug), status=Status.DONE)
    set_status_at(moments[4], user=ana, topic=topic(CONSTELLATIONS[0].slug), status="pendiente")
    assert totals(ana) == (1, 1, 0, moments[4])

    rebuild_learner_summaries()
    assert totals(ana) == (1, 1, 0, moments[4])


def test_the_same_status_twice_changes_nothing(ana, course):
    progress_set_status(user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    before = totals(ana)
    progress_set_status(user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    assert totals(ana) == before


def test_statuses_written_before_the_totals_existed_are_counted_on_the_next_change(ana, course):
    """A server on the old code, or SQL, wrote statuses without totals: the first change then
    recounts the learner instead of adding to nothing."""
    TopicProgress.objects.create(user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    TopicProgress.objects.create(user=ana, topic=topic(OTHER_TOPIC.slug), status=Status.SKIPPED)
    assert not LearnerSummary.objects.filter(user=ana).exists()
    progress_set_status(user=ana, topic=topic(CONSTELLATIONS[0].slug), status=Status.IN_PROGRESS)
    assert totals(ana)[:3] == (1, 1, 1)


def test_the_rebuild_command_repairs_wrong_totals(ana, course):
    progress_set_status(user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    LearnerSummary.objects.filter(user=ana).update(done=40, in_progress=-3)
    out = io.StringIO()
    call_command("rebuild_learner_summaries", stdout=out)
    assert "Totales de aprendices recontados." in out.getvalue()
    assert totals(ana)[:3] == (1, 0, 0)


def test_unpublished_topics_count_nowhere_in_lists_of_learners(ana, carla, course):
    """The totals count every topic; the lists take the unpublished ones off and agree with
    the one-learner count of Mi progreso."""
    cohort = Cohort.objects.create(name="C", slug="c", start_date="2026-01-01")
    for user in (ana, carla):
        CohortMembership.objects.create(cohort=cohort, user=user)
    progress_set_status(user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    progress_set_status(user=ana, topic=topic(UNPUBLISHED_TOPIC.slug), status=Status.DONE)
    progress_set_status(user=ana, topic=topic(OTHER_TOPIC.slug), status=Status.SKIPPED)
    assert totals(ana)[:3] == (2, 1, 0)  # the hidden topic is in the totals

    def listed(user):
        return LearnerTallies([user.pk], total=course.topic_count).tally(user.pk, *totals(user)[:3])

    assert listed(ana) == course_tallies(ana).overall
    assert listed(ana).done == 1

    # Hiding a topic she completed takes it off at once; no total is rewritten.
    Topic.objects.filter(slug=TOPIC.slug).update(is_published=False)
    hidden_total = course.topic_count - 1
    expected = course_tallies(ana).overall
    assert (expected.done, expected.skipped) == (0, 1)
    tallies = LearnerTallies([ana.pk], total=hidden_total)
    assert tallies.tally(ana.pk, *totals(ana)[:3]) == expected

    matrix = cohort_matrix(cohort)
    assert {row.name: row.overall for row in matrix.rows} == {
        "Ana": expected,
        "Carla": course_tallies(carla).overall,
    }
    [summary] = cohort_summaries([cohort])
    assert summary.size == 2
    assert summary.average == round((expected.percent + 0) / 2)
