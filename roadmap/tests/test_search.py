"""/buscar/: one search over sections, topics, references, videos and notebooks; accent- and
case-insensitive, forgiving one typo per word, ranked, with snippets; clear about bad queries,
never a 500, and a fixed number of queries."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.catalog import search_results
from roadmap.catalog.search import normalize_search_text
from roadmap.models import Resource, Section, Topic
from roadmap.pages.assemble import STORE
from tests.course_factory import (
    FIRST_SECTION,
    LAST_SECTION,
    NOTEBOOK,
    REFERENCE,
    RESOURCE_GROUPS,
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


def search(client, q):
    return client.get("/buscar/", {"q": q})


def html_of(client, q) -> str:
    response = search(client, q)
    assert response.status_code == 200
    return response.content.decode()


def group_links(html: str, group: str) -> list[str]:
    """The result links of one kind's list, in order."""
    match = re.search(rf'<section[^>]*"resultados-{group}".*?</section>', html, re.S)
    if match is None:
        return []
    return re.findall(r'<a class="result__title" href="([^"]+)"', match.group())


def test_without_accents_finds_the_accented_section(client, course):
    assert SECTION.title == "Espectroscopía"
    html = html_of(client, "espectroscopia")
    assert f'href="{SECTION.url()}"' in html
    assert "resultado" in html


def test_case_and_accents_do_not_matter(client, course):
    upper = html_of(client, "ESPECTROSCOPÍA")
    assert f'href="{SECTION.url()}"' in upper


def test_finds_topics_and_references(client, course):
    html = html_of(client, "doppler")
    assert f'href="{SECTION.topic_url(TOPIC)}"' in html
    assert f'href="{REFERENCE.url}"' in html


def test_finds_every_kind_under_its_own_heading(client, course):
    cases = {
        "secciones": ("espectroscopia", SECTION.url()),
        "temas": ("doppler", SECTION.topic_url(TOPIC)),
        "referencias": ("doppler", REFERENCE.url),
        "videos": ("luna", VIDEO.url),
        "cuadernos": ("kepler", NOTEBOOK.url),
    }
    for group, (q, url) in cases.items():
        html = html_of(client, q)
        assert f'<h2 id="resultados-{group}">' in html, (group, q)
        assert url in group_links(html, group), (group, q)


def test_a_video_is_found_by_its_description_with_a_snippet(client, course):
    assert "binoculares" in VIDEO.description
    html = html_of(client, "BINOCULARES")
    assert group_links(html, "videos") == [VIDEO.url]
    assert '<p class="result__snippet">Con <mark>binoculares</mark> alcanza.</p>' in html
    assert "**" not in html  # plain text, not the Markdown source


def test_a_reference_is_found_by_its_author(client, course):
    html = html_of(client, "estrella ada")
    assert group_links(html, "referencias") == [REFERENCE.url]
    assert "por <mark>Ada</mark> <mark>Estrella</mark>" in html


def test_every_word_must_match(client, course):
    assert ">Marte</a>" in html_of(client, "lunas")  # one word, several results
    html = html_of(client, "curiosas lunas")
    assert "Las <mark>curiosas</mark> <mark>lunas</mark> de Júpiter" in html
    assert "1 resultado para" in html


def test_title_matches_come_first_then_course_order(client, course):
    word = "estrella"
    in_title = [s for s in (FIRST_SECTION, SECTION, LAST_SECTION) if word in s.title.lower()]
    elsewhere = [s for s in (FIRST_SECTION, SECTION, LAST_SECTION) if s not in in_title]
    assert in_title == [LAST_SECTION] and elsewhere == [FIRST_SECTION, SECTION]  # course order
    html = html_of(client, word)
    assert group_links(html, "secciones") == [s.url() for s in in_title + elsewhere]


def test_a_long_text_is_cut_around_the_first_match(client, course):
    topic = Topic.objects.published().get(slug=TOPIC.slug)
    topic.description = (
        "Antes. " * 30
        + "Hay [un enlace](https://example.org/x) y **velocidades** medidas. " * 2
        + "Después. " * 30
    )
    topic.save()
    html = html_of(client, "velocidades")
    snippet = re.search(r'<p class="result__snippet">(.*?)</p>', html, re.S).group(1)
    assert snippet.startswith("… Antes.")
    assert snippet.endswith(" …")
    assert snippet.count("<mark>velocidades</mark>") == 2
    assert len(re.sub(r"<[^>]+>", "", snippet)) <= 165
    assert "un enlace" in snippet
    assert "https://" not in snippet and "**" not in snippet  # plain text, not Markdown


def test_highlighting_maps_the_folded_match_back_to_the_accented_word(client, course):
    assert "órbita" in NOTEBOOK.title
    html = html_of(client, "ORBITA")
    assert "Calcular una <mark>órbita</mark>" in html


def test_each_kind_is_capped_and_says_how_many_more(client, course, monkeypatch):
    monkeypatch.setattr(search_results, "RESULTS_PER_KIND", 1)
    html = html_of(client, "estrella")
    assert group_links(html, "secciones") == [LAST_SECTION.url()]
    assert '<h2 id="resultados-secciones">Secciones <span class="count">(3)</span>' in html
    assert "Mostramos 1 de 3 secciones" in html


def test_one_typo_per_word_is_forgiven_and_said(client, course):
    assert "binoculares" in VIDEO.description
    # A letter changed, removed, added; two neighbours swapped.
    for typo in ["binocul4res", "binoclares", "binoculares2", "ibnoculares"]:
        html = html_of(client, typo)
        assert group_links(html, "videos") == [VIDEO.url], typo
        assert f"No encontramos «{typo}»: mostramos resultados para «binoculares»" in html
        assert "<mark>binoculares</mark>" in html


def test_an_accented_typo_is_forgiven(client, course):
    html = html_of(client, "espectroscopíq")
    assert group_links(html, "secciones") == [SECTION.url()]
    assert "<mark>Espectroscopía</mark>" in html


def test_short_words_are_not_corrected(client, course):
    html = html_of(client, "lunq")  # four letters: too short to guess
    assert "No encontramos nada" in html
    assert "mostramos resultados para" not in html


def test_a_word_that_exists_is_not_corrected(client, course):
    html = html_of(client, "lunas")
    assert "mostramos resultados para" not in html


def test_unpublished_content_is_never_found(client, course):
    hidden = {
        "topic": UNPUBLISHED_TOPIC.title,
        "reference": UNPUBLISHED_REFERENCE.title,
        "section": UNPUBLISHED_SECTION.title,
        "topic of a hidden section": UNPUBLISHED_SECTION.topics[0].title,
        "reference of a hidden section": UNPUBLISHED_SECTION.references[0].title,
        "section of a hidden part": UNPUBLISHED_PART.sections[0].title,
        "video": UNPUBLISHED_VIDEO.title,
        "resource of a hidden list": next(g for g in RESOURCE_GROUPS if not g.is_published)
        .resources[0]
        .title,
    }
    for what, title in hidden.items():
        html = html_of(client, title)
        assert "No encontramos nada" in html, what
        assert 'class="result' not in html, what


def test_unpublished_words_are_never_suggested(client, course):
    word = normalize_search_text(UNPUBLISHED_SECTION.topics[0].title).split()[0]  # horizonte
    assert "No encontramos nada" in html_of(client, word)  # only in a hidden section
    html = html_of(client, word[:-1] + "z")
    assert "mostramos resultados para" not in html
    assert "No encontramos nada" in html


def test_the_unpublished_topics_are_not_found(client, course):
    html = html_of(client, "pluton")
    assert SECOND_SECTION.topic_url(UNPUBLISHED_TOPIC) not in html
    assert "No encontramos nada" in html


def test_no_results_says_so(client, course):
    html = html_of(client, "xilofonista")
    assert "No encontramos nada" in html


def test_no_results_names_the_word_that_appears_nowhere(client, course):
    html = html_of(client, "lunas xilofonista")
    assert "«xilofonista» no aparece en el curso" in html


def test_editor_text_is_escaped_in_titles_and_snippets(client, course):
    topic = Topic.objects.published().get(slug=TOPIC.slug)
    topic.title = "Efecto <b>Doppler</b> & <script>alert(1)</script>"
    topic.description = "Texto con <em>HTML</em> crudo y &lt;b&gt; escapado: doppler."
    topic.save()
    html = html_of(client, "doppler")
    assert "<script>alert(1)" not in html
    assert "Efecto &lt;b&gt;<mark>Doppler</mark>&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<em>" not in html.split('id="resultados-temas"')[1].split("</section>")[0]


def test_a_resource_keeps_its_search_text_and_the_migration_fills_old_rows(course):
    video = Resource.objects.get(slug=VIDEO.slug)
    assert video.search_text == normalize_search_text(VIDEO.title, VIDEO.description)
    video.title = "Cómo mirar Saturno"
    video.save(update_fields=["title"])
    video.refresh_from_db()
    assert video.search_text.startswith("como mirar saturno")
    Resource.objects.update(search_text="")
    migration = importlib.import_module("roadmap.migrations.0013_resource_search_text")
    migration.fill_search_text(apps, None)
    assert not Resource.objects.filter(search_text="").exists()
    assert Resource.objects.get(slug=NOTEBOOK.slug).search_text == normalize_search_text(
        NOTEBOOK.title, NOTEBOOK.description
    )


# Queries: the content version, then one per model (sections, topics, references, resources);
# the course's words once per content version.
QUERIES = 5


def test_a_search_costs_the_same_few_queries_whatever_the_course_size(
    client, course, django_assert_num_queries
):
    STORE.clear()
    with django_assert_num_queries(QUERIES + 1):  # the first search builds the vocabulary
        html = html_of(client, "estrella")
    first_count = html.count('class="result"')
    with django_assert_num_queries(QUERIES):
        html_of(client, "estrella")
    section = Section.objects.published().first()
    group = Resource.objects.published().first().group
    for i in range(50):
        Topic.objects.create(section=section, slug=f"estrella-{i}", title=f"Estrella {i}", order=99)
        Resource.objects.create(
            group=group, slug=f"estrella-{i}", title=f"Estrella {i}", url="https://example.org/"
        )
    with django_assert_num_queries(QUERIES + 1):
        html = html_of(client, "estrella")
    assert html.count('class="result"') > first_count
    with django_assert_num_queries(QUERIES):
        html_of(client, "estrella")


def test_a_word_that_appears_nowhere_skips_the_queries(client, course):
    html_of(client, "lunas")  # builds the vocabulary
    with CaptureQueriesContext(connection) as queries:
        html_of(client, "xilofonista")
    assert len(queries) == 1  # the content version


def test_empty_query_asks_for_words(client, course):
    response = search(client, "   ")
    assert response.status_code == 200
    assert "Escribí qué querés buscar" in response.content.decode()


def test_search_page_without_query_shows_the_form(client, course):
    response = client.get("/buscar/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "Escribí" not in response.content.decode()


def test_absurdly_long_query_is_rejected_with_a_message(client, course):
    for q in ["a" * 5000, "doppler " * 1250]:
        response = search(client, q)
        assert response.status_code == 400
        assert "demasiado larga" in response.content.decode()


def test_only_punctuation_gets_a_message(client, course):
    response = search(client, "%%% ???")
    assert "al menos una palabra" in response.content.decode()


def test_too_many_words_get_a_message(client, course):
    response = search(client, " ".join(f"w{i}" for i in range(13)))
    assert response.status_code == 200
    assert "Demasiadas palabras" in response.content.decode()


def test_null_characters_are_rejected(client, course):
    response = search(client, "doppler\x00")
    assert response.status_code == 200
    assert "caracteres no válidos" in response.content.decode()


def test_junk_never_breaks_the_page(client, course):
    for q in [
        "\u0301\u0301",
        "ﬁ ß İ",
        "𝔡𝔬𝔭𝔭𝔩𝔢𝔯",
        "'; DROP TABLE roadmap_topic; --",
        "%_%",
        "\ufeff\u200b",
    ]:
        response = search(client, q)
        assert response.status_code == 200, q


def test_search_html_escapes_the_query(client, course):
    html = html_of(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html


# The real course (roadmap/fixtures/curso.json): what the issue asked for.


@pytest.mark.parametrize(
    ("q", "group", "title"),
    [
        ("stable diffusion", "videos", "<mark>Stable</mark> <mark>Diffusion</mark>"),
        ("gguf", "cuadernos", "Auto<mark>GGUF</mark>"),
        ("gguf", "cuadernos", "Cuantización con <mark>GGUF</mark>"),
        ("karpathy", "videos", "&quot;Estado de GPT&quot; por Andrej <mark>Karpathy</mark>"),
        ("cuantisacion", "secciones", "<mark>Cuantización</mark>"),
    ],
)
def test_the_real_course_finds_what_the_issue_asked_for(client, real_course, q, group, title):
    html = html_of(client, q)
    section = re.search(rf'<section[^>]*"resultados-{group}".*?</section>', html, re.S).group()
    assert title in section
