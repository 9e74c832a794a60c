"""The committed fixture (what `make run` loads) and the Markdown source agree."""

import pytest
from django.core.management import call_command

from roadmap.catalog.importer import import_course
from roadmap.catalog.parser import load_course
from roadmap.models import Part, Reference, Resource, Section, Topic

pytestmark = pytest.mark.django_db


def test_fixture_matches_the_markdown_row_by_row(real_course):
    content = load_course()
    assert list(Part.objects.values_list("slug", "title")) == [
        (p.slug, p.title) for p in content.parts
    ]
    assert list(
        Section.objects.in_course_order().values_list("slug", "title", "emoji", "intro")
    ) == [(s.slug, s.title, s.emoji, s.intro) for s in content.sections]
    topics = Topic.objects.order_by("section__part__order", "section__order", "order")
    assert list(topics.values_list("slug", "title", "url", "description", "emoji")) == [
        (t.slug, t.title, t.url, t.description, t.emoji) for t in content.topics
    ]
    references = Reference.objects.order_by("section__part__order", "section__order", "order")
    assert list(references.values_list("title", "url", "author", "kind")) == [
        (r.title, r.url, r.author, r.kind) for r in content.references
    ]
    assert Resource.objects.count() == 51


def test_importing_over_the_fixture_changes_nothing(real_course):
    report = import_course(load_course(), dry_run=True)
    assert not report.has_changes, report.changes


def test_loading_the_fixture_twice_does_not_duplicate(real_course):
    call_command("loaddata", "curso", verbosity=0)
    assert Topic.objects.count() == 72
    assert Reference.objects.count() == 94
