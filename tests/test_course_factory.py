"""The synthetic course is in the database as tests/course_factory.py describes it."""

import pytest

from roadmap.models import Course, Part, Reference, Resource, ResourceGroup, Section, Topic
from tests.course_factory import COURSE, SECTION, TOPIC

pytestmark = pytest.mark.django_db


def test_the_published_rows_are_the_ones_the_description_counts(course):
    assert Part.objects.published().count() == COURSE.part_count
    assert Section.objects.published().count() == COURSE.section_count
    topics = Topic.objects.published().order_by("section__part__order", "section__order", "order")
    assert list(topics.values_list("slug", flat=True)) == [topic.slug for topic in COURSE.topics]
    references = Reference.objects.published().filter(section__in=Section.objects.published())
    assert references.count() == COURSE.reference_count
    resources = Resource.objects.published().filter(group__is_published=True)
    assert resources.filter(group__kind=ResourceGroup.Kind.VIDEO).count() == COURSE.video_count
    assert resources.filter(group__kind=ResourceGroup.Kind.NOTEBOOK).count() == 1


def test_it_keeps_something_unpublished_at_every_level(course):
    for model in (Part, Section, Topic, Reference, Resource, ResourceGroup):
        assert model.objects.filter(is_published=False).exists(), model


def test_every_markdown_text_was_rendered_when_created(course):
    for model in (Course, Part, Section, Topic, Reference, Resource, ResourceGroup):
        for row in model.objects.all():
            for source, (target, _inline) in model.MARKDOWN_FIELDS.items():
                assert bool(getattr(row, source)) == bool(getattr(row, target)), (row, source)
    topic = Topic.objects.get(slug=TOPIC.slug)
    assert "<code>f' = f (c + v) / c</code>" in topic.description_html
    assert "<strong>para medir velocidades</strong>" in topic.description_html
    assert 'href="https://es.wikipedia.org/wiki/Efecto_Doppler"' in topic.description_html
    assert Section.objects.get(slug=SECTION.slug).search_text  # save() ran, not a raw insert
