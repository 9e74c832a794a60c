"""/buscar/: accent- and case-insensitive, clear about bad queries, never a 500."""

import pytest

from tests.course_factory import SECOND_SECTION, SECTION, TOPIC, UNPUBLISHED_TOPIC

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get("/buscar/", {"q": q})


def test_without_accents_finds_the_accented_section(client, course):
    assert SECTION.title == "Espectroscopía"
    response = search(client, "espectroscopia")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{SECTION.url()}"' in html
    assert "resultado" in html


def test_case_and_accents_do_not_matter(client, course):
    upper = search(client, "ESPECTROSCOPÍA").content.decode()
    assert f'href="{SECTION.url()}"' in upper


def test_finds_topics_and_references(client, course):
    html = search(client, "doppler").content.decode()
    assert f'href="{SECTION.topic_url(TOPIC)}"' in html
    assert "Introducción al efecto Doppler" in html


def test_every_word_must_match(client, course):
    assert ">Marte</a>" in search(client, "lunas").content.decode()  # one word, two results
    html = search(client, "curiosas lunas").content.decode()
    assert "Las curiosas lunas de Júpiter" in html
    assert "1 resultado" in html


def test_unpublished_topics_are_not_found(client, course):
    html = search(client, "pluton").content.decode()
    assert SECOND_SECTION.topic_url(UNPUBLISHED_TOPIC) not in html
    assert "No encontramos nada" in html


def test_no_results_says_so(client, course):
    html = search(client, "xilofonista").content.decode()
    assert "No encontramos nada" in html


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
    response = search(client, "a" * 5000)
    assert response.status_code == 400
    assert "demasiado larga" in response.content.decode()


def test_only_punctuation_gets_a_message(client, course):
    response = search(client, "%%% ???")
    assert "al menos una palabra" in response.content.decode()


def test_null_characters_are_rejected(client, course):
    response = search(client, "doppler\x00")
    assert response.status_code == 200
    assert "caracteres no válidos" in response.content.decode()


def test_search_html_escapes_the_query(client, course):
    html = search(client, "<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
