"""The public pages: status, content a reader sees, and query counts that do not grow."""

import pytest
from django.urls import reverse

from roadmap.models import Part, Section, Topic
from tests.course_factory import (
    FIRST_SECTION,
    LAST_SECTION,
    NOTEBOOK,
    PARTS,
    REFERENCE,
    SECOND_SECTION,
    SECTION,
    TOPIC,
    UNPUBLISHED_PART,
    UNPUBLISHED_REFERENCE,
    UNPUBLISHED_SECTION,
    UNPUBLISHED_TOPIC,
    UNPUBLISHED_VIDEO,
    VIDEO,
)

pytestmark = pytest.mark.django_db


def test_home_shows_the_roadmaps_with_sections_topics_and_counts(client, course):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    for part in course.published_parts:
        assert part.title in html
    assert f'<span aria-hidden="true">{PARTS[0].emoji}</span> {PARTS[0].title}' in html
    assert SECTION.title in html
    assert TOPIC.title in html
    assert f"<strong>{course.section_count}</strong> secciones" in html
    assert f"<strong>{course.topic_count}</strong> temas" in html
    assert f"<strong>{course.reference_count}</strong> referencias" in html
    assert f"<strong>{course.video_count}</strong> videos" in html
    assert f"<strong>{course.notebook_count}</strong> cuadernos" in html
    topics, references = len(SECTION.published_topics), len(SECTION.published_references)
    assert f"{topics} temas · {references} referencias" in html
    assert '<a href="https://example.org/mapa" rel="noopener noreferrer">' in html  # its intro
    assert html.count("<h1") == 1
    assert reverse("roadmap:resources") + "?tipo=video" in html


def test_home_describes_each_roadmap_once_by_its_intro_or_else_its_summary(client, course):
    html = client.get("/").content.decode()
    assert "<strong>sin instrumentos</strong>" not in html  # the intro says it
    Part.objects.filter(slug=PARTS[0].slug).update(intro="")
    html = client.get("/").content.decode()
    assert html.count("<strong>sin instrumentos</strong>") == 1
    assert "un mapa" not in html


def test_home_leaves_out_what_is_unpublished(client, course):
    html = client.get("/").content.decode()
    for spec in (UNPUBLISHED_PART, UNPUBLISHED_SECTION, UNPUBLISHED_TOPIC):
        assert spec.title not in html
    assert f'href="{SECTION.topic_url(TOPIC)}"' in html


def test_section_page_shows_intro_topics_references_and_navigation(client, course):
    response = client.get(SECTION.url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "La luz de una estrella, separada en colores" in html
    assert "<code>espectro --ver</code>" in html
    assert f'href="{SECTION.topic_url(TOPIC)}"' in html
    assert REFERENCE.title in html
    assert f"por {REFERENCE.author}" in html
    assert UNPUBLISHED_REFERENCE.title not in html
    assert 'aria-label="Migas de pan"' in html
    assert f'href="{SECOND_SECTION.url()}" rel="prev"' in html
    assert f'href="{LAST_SECTION.url()}" rel="next"' in html
    assert html.count("<h1") == 1


def test_section_references_are_labelled_by_kind(client, course):
    html = client.get(SECTION.url()).content.decode()
    assert 'class="kind kind--video"' in html
    assert "Video</span>" in html


def test_first_section_has_no_previous_and_last_has_no_next(client, course):
    first = Section.objects.published().in_course_order().first()
    last = Section.objects.published().in_course_order().last()
    assert 'rel="prev"' not in client.get(first.get_absolute_url()).content.decode()
    assert 'rel="next"' not in client.get(last.get_absolute_url()).content.decode()


def test_topic_page_shows_description_main_link_and_section_references(client, course):
    response = client.get(SECTION.topic_url(TOPIC))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>para medir velocidades</strong>" in html
    assert f'href="{TOPIC.url}" rel="noopener noreferrer"' in html
    assert REFERENCE.title in html
    assert f'href="{SECTION.url()}#{TOPIC.slug}"' in html


def test_external_links_in_content_get_rel_noopener(client, course):
    html = client.get(SECTION.url()).content.decode()
    assert 'href="https://example.org/laboratorio" rel="noopener noreferrer"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/secciones/no-existe/",
        SECTION.url() + "no-existe/",
        FIRST_SECTION.topic_url(TOPIC),  # a real topic under the wrong section
        SECOND_SECTION.topic_url(UNPUBLISHED_TOPIC),
        UNPUBLISHED_SECTION.url(),
    ],
)
def test_unknown_slugs_get_the_spanish_404(client, course, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


def test_unpublished_content_is_not_shown(client, course):
    Topic.objects.filter(slug=TOPIC.slug).update(is_published=False)
    assert client.get(SECTION.topic_url(TOPIC)).status_code == 404
    html = client.get("/").content.decode()
    assert f"<strong>{course.topic_count - 1}</strong> temas" in html
    Section.objects.filter(slug=LAST_SECTION.slug).update(is_published=False)
    assert client.get(LAST_SECTION.url()).status_code == 404


def test_resources_lists_every_video_and_notebook(client, course):
    html = client.get("/recursos/").content.decode()
    assert html.count('class="resource"') == len(course.resources())
    assert VIDEO.title in html and NOTEBOOK.title in html
    assert "<strong>binoculares</strong>" in html
    assert UNPUBLISHED_VIDEO.title not in html
    assert "Próximamente" not in html  # an empty group is not listed


def test_resources_leave_out_groups_with_nothing_to_open(client, course):
    empty = next(g for g in course.resource_groups if g.is_published and not g.resources)
    html = client.get("/recursos/").content.decode()
    assert empty.title not in html
    assert f'id="{empty.slug}"' not in html


@pytest.mark.parametrize("kind", ["video", "cuaderno"])
def test_resources_filter_by_kind(client, course, kind):
    response = client.get("/recursos/", {"tipo": kind})
    assert response.status_code == 200
    assert response.content.decode().count('class="resource"') == len(course.resources(kind))


def test_unknown_resource_kind_gets_a_clear_message(client, course):
    response = client.get("/recursos/", {"tipo": "podcast"})
    assert response.status_code == 400
    assert "Ese tipo de recurso no existe" in response.content.decode()


def test_every_page_has_a_description_and_favicon(client, course):
    for url in ["/", SECTION.url(), SECTION.topic_url(TOPIC), "/recursos/"]:
        html = client.get(url).content.decode()
        assert '<meta name="description" content="' in html
        assert 'rel="icon"' in html
        assert "<main" in html and "<header" in html and "<footer" in html
