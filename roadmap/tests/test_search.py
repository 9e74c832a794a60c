"""/buscar/: accent- and case-insensitive, clear about bad queries, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get("/buscar/", {"q": q})


def test_without_accents_finds_the_accented_section(client, course):
    response = search(client, "cuantizacion")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/secciones/cuantizacion/"' in html
    assert "resultado" in html


def test_case_and_accents_do_not_matter(client, course):
    upper = search(client, "CUANTIZACIÓN").content.decode()
    assert 'href="/secciones/cuantizacion/"' in upper


def test_finds_topics_and_references(client, course):
    html = search(client, "lora").content.decode()
    assert 'href="/secciones/ajuste-fino-supervisado/lora/"' in html
    assert "Insights sobre LoRA" in html


def test_every_word_must_match(client, course):
    html = search(client, "zarpadas chinchilla").content.decode()
    assert "Las zarpadas implicaciones de Chinchilla" in html
    assert "1 resultado" in html


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
    response = search(client, "lora\x00")
    assert response.status_code == 200
    assert "caracteres no válidos" in response.content.decode()


def test_search_html_escapes_the_query(client, course):
    html = search(client, "<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
