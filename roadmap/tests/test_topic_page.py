"""A topic page that stands alone: its own link as a card, its resources, the section's other
references, the topics before and after it in course order, and (signed in) «Completar y seguir»
and the keyboard shortcuts' help."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.catalog.links import link_card
from roadmap.models import Reference, Resource, Section, Topic
from tests.course_factory import (
    COURSE,
    FIRST_SECTION,
    NOTEBOOK,
    OTHER_TOPIC,
    REFERENCE,
    SECOND_SECTION,
    SECTION,
    TOPIC,
    UNPUBLISHED_VIDEO,
    VIDEO_REFERENCE,
)

pytestmark = pytest.mark.django_db

URL = SECTION.topic_url(TOPIC)


def between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def section_of(html: str, heading_id: str) -> str:
    return between(html, f'id="{heading_id}"', "</section>")


def doppler() -> Topic:
    return Topic.objects.get(slug=TOPIC.slug)


# --- The topic's own link -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "domain", "kind", "label", "detail"),
    [
        ("https://arxiv.org/abs/2106.09685", "arxiv.org", "paper", "Paper", "arXiv 2106.09685"),
        (
            "https://github.com/dueña/herramienta",
            "github.com",
            "repositorio",
            "Repositorio",
            "dueña/herramienta",
        ),  # fmt: skip
        ("https://www.deepspeed.ai/", "deepspeed.ai", "sitio", "Sitio", ""),
        ("https://www.youtube.com/watch?v=x", "youtube.com", "video", "Video", ""),
        (
            "https://colab.research.google.com/drive/1",
            "colab.research.google.com",
            "cuaderno",
            "Cuaderno",
            "",
        ),  # fmt: skip
        ("https://example.org/blog/post", "example.org", "articulo", "Artículo", ""),
    ],
)
def test_a_link_is_classified_by_site_and_kind(url, domain, kind, label, detail):
    card = link_card(url, "Título")
    assert (card.domain, card.kind, card.kind_label, card.detail) == (domain, kind, label, detail)
    assert card.title == "Título"


def test_no_url_no_card():
    assert link_card("", "Título") is None


def test_the_topics_own_link_is_a_card_with_title_site_and_kind(client, course):
    html = client.get(URL).content.decode()
    card = between(html, 'class="link-card"', "</section>")
    expected = link_card(TOPIC.url, TOPIC.title)
    assert f'href="{TOPIC.url}" rel="noopener noreferrer"' in card
    assert "target=" not in card  # the same tab
    assert f'<span class="link-card__title">{TOPIC.title}</span>' in card
    assert f'<span class="link-card__domain">{expected.domain}</span>' in card
    assert f"</span> {expected.kind_label}</span>" in card
    assert "Abrir el enlace principal del tema" not in html


def test_a_topic_without_its_own_link_has_no_card(client, course):
    html = client.get(SECTION.topic_url(OTHER_TOPIC)).content.decode()
    assert 'class="link-card"' not in html


# --- Its resources, then the section's other references -----------------------------------


def test_the_topics_resources_come_first_and_unpublished_ones_are_left_out(client, course):
    html = client.get(URL).content.decode()
    own = section_of(html, "titulo-recursos-del-tema")
    attached = COURSE.attached_to(TOPIC)
    assert attached and f'Recursos de este tema <span class="count">({len(attached)})' in own
    for item in attached:
        assert f'href="{item.url}" rel="noopener noreferrer">{item.title}</a>' in own
    assert NOTEBOOK.title in own and "Cuaderno</span>" in own
    assert UNPUBLISHED_VIDEO.title not in html
    assert html.index('id="titulo-recursos-del-tema"') < html.index('id="titulo-referencias"')


def test_attaching_a_reference_moves_it_out_of_the_sections_other_references(client, course):
    html = client.get(URL).content.decode()
    assert REFERENCE.title in section_of(html, "titulo-referencias")
    Reference.objects.get(slug=REFERENCE.slug).topics.add(doppler())  # a new content version
    html = client.get(URL).content.decode()
    own, others = (
        section_of(html, "titulo-recursos-del-tema"),
        section_of(html, "titulo-referencias"),
    )
    assert REFERENCE.title in own and REFERENCE.title not in others
    assert f"por {REFERENCE.author}" in own and "con ejemplos" in own  # author and description
    assert "Otras referencias de la sección" in others
    assert VIDEO_REFERENCE.title in others  # not attached: still with the section's
    others_count = len(SECTION.published_references) - 1
    assert f'<span class="count">({others_count})</span>' in others


def test_a_reference_of_another_section_says_where_it_comes_from(client, course):
    reference = Reference.objects.filter(section__slug=SECOND_SECTION.slug).first()
    reference.topics.add(doppler())
    own = section_of(client.get(URL).content.decode(), "titulo-recursos-del-tema")
    assert reference.title in own and f"de la sección «{SECOND_SECTION.title}»" in own
    Section.objects.filter(slug=SECOND_SECTION.slug).update(is_published=False)
    assert reference.title not in client.get(URL).content.decode()


def test_a_topic_with_nothing_attached_shows_the_sections_references(client, course):
    html = client.get(SECTION.topic_url(OTHER_TOPIC)).content.decode()
    assert 'id="titulo-recursos-del-tema"' not in html
    assert "Referencias de la sección" in html
    assert REFERENCE.title in section_of(html, "titulo-referencias")


def test_detaching_shows_on_the_next_view(client, course):
    notebook = Resource.objects.get(slug=NOTEBOOK.slug)
    assert NOTEBOOK.title in client.get(URL).content.decode()
    notebook.topics.clear()
    assert NOTEBOOK.title not in client.get(URL).content.decode()


def test_building_the_page_costs_the_same_with_many_attachments(client, course):
    def build_queries() -> int:
        from roadmap.pages.assemble import STORE

        STORE.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries.captured_queries)

    before = build_queries()
    section = Section.objects.get(slug=SECTION.slug)
    references = [
        Reference.objects.create(
            section=section, slug=f"r-{n}", title=f"R {n}", url="https://x.org/"
        )
        for n in range(30)
    ]
    doppler().attached_references.add(*references)
    assert build_queries() == before


# --- Before and after, in course order ----------------------------------------------------


def test_the_pager_follows_the_course_across_sections(client, course):
    topics = COURSE.topics
    first_of_section = SECTION.published_topics[0]
    index = topics.index(first_of_section)
    previous, following = topics[index - 1], topics[index + 1]
    html = client.get(SECTION.topic_url(first_of_section)).content.decode()
    pager = between(html, 'class="pager"', "</nav>")
    assert f'href="{SECOND_SECTION.topic_url(previous)}" rel="prev"' in pager
    assert f"Tema anterior · {SECOND_SECTION.title}" in pager  # another section: named
    assert f'href="{SECTION.topic_url(following)}" rel="next"' in pager
    first = COURSE.topics[0]
    assert 'rel="prev"' not in client.get(FIRST_SECTION.topic_url(first)).content.decode()


# --- What signed-in learners get ----------------------------------------------------------


def test_a_learner_gets_complete_and_continue_and_the_shortcuts(ana_client, course):
    html = ana_client.get(URL).content.decode()
    form = between(html, 'class="complete-form"', "</form>")
    assert f'method="post" action="{URL}completar-y-seguir/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert "Completar y seguir" in form
    assert re.search(r'<button type="button"[^>]*data-shortcuts-help[^>]*hidden>', html)
    dialog = between(html, '<dialog id="atajos"', "</dialog>")
    for key in ("p", "e", "c", "o", "s", "n", "a", "?"):
        assert f"<kbd>{key}</kbd>" in dialog
    assert '<form method="dialog">' in dialog
    assert 'src="/static/js/shortcuts.js"' in html


def test_a_reader_without_an_account_gets_neither(client, course):
    html = client.get(URL).content.decode()
    assert "completar-y-seguir" not in html
    assert "shortcuts.js" not in html and "<dialog" not in html
