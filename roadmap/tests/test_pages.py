"""The public pages: status, content a reader sees, and query counts that do not grow."""

import pytest
from django.urls import reverse

from roadmap.models import Section, Topic

pytestmark = pytest.mark.django_db


def test_home_shows_the_three_roadmaps_with_sections_topics_and_counts(client, course):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    for title in ["Fundamentos de IA", "Científico/a de LLMs", "Ingeniero/a de LLMs"]:
        assert title in html
    assert "Ajuste fino supervisado" in html
    assert "LoRA" in html
    assert "<strong>19</strong> secciones" in html
    assert "<strong>72</strong> temas" in html
    assert "<strong>94</strong> referencias" in html
    assert "<strong>36</strong> videos" in html
    assert "<strong>15</strong> cuadernos" in html
    assert "5 temas · 5 referencias" in html  # Ajuste fino supervisado
    assert html.count("<h1") == 1
    assert reverse("roadmap:resources") + "?tipo=video" in html


def test_section_page_shows_intro_topics_references_and_navigation(client, course):
    response = client.get("/secciones/ajuste-fino-supervisado/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Los modelos pre-entrenados solo están entrenados" in html
    assert 'href="/secciones/ajuste-fino-supervisado/lora/"' in html
    assert "Insights sobre LoRA" in html
    assert "por Sebastian Raschka" in html
    assert 'aria-label="Migas de pan"' in html
    assert 'href="/secciones/pre-entrenamiento-de-modelos/" rel="prev"' in html
    assert 'rel="next"' in html and "Aprendizaje por refuerzo" in html
    assert html.count("<h1") == 1


def test_section_references_are_labelled_by_kind(client, course):
    html = client.get("/secciones/matematicas-para-aprendizaje-automatico/").content.decode()
    assert 'class="kind kind--video"' in html
    assert "Video</span>" in html


def test_first_section_has_no_previous_and_last_has_no_next(client, course):
    first = Section.objects.published().in_course_order().first()
    last = Section.objects.published().in_course_order().last()
    assert 'rel="prev"' not in client.get(first.get_absolute_url()).content.decode()
    assert 'rel="next"' not in client.get(last.get_absolute_url()).content.decode()


def test_topic_page_shows_description_main_link_and_section_references(client, course):
    response = client.get("/secciones/ajuste-fino-supervisado/lora/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "adaptadores de rango bajo" in html
    assert 'href="https://arxiv.org/abs/2106.09685" rel="noopener noreferrer"' in html
    assert "Insights sobre LoRA" in html
    assert 'href="/secciones/ajuste-fino-supervisado/#lora"' in html


def test_external_links_in_content_get_rel_noopener(client, course):
    html = client.get("/secciones/ajuste-fino-supervisado/").content.decode()
    assert 'href="https://github.com/unslothai/unsloth" rel="noopener noreferrer"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/secciones/no-existe/",
        "/secciones/ajuste-fino-supervisado/no-existe/",
        "/secciones/cuantizacion/lora/",  # a real topic under the wrong section
    ],
)
def test_unknown_slugs_get_the_spanish_404(client, course, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


def test_unpublished_content_is_not_shown(client, course):
    Topic.objects.filter(slug="lora").update(is_published=False)
    assert client.get("/secciones/ajuste-fino-supervisado/lora/").status_code == 404
    html = client.get("/").content.decode()
    assert "<strong>71</strong> temas" in html
    Section.objects.filter(slug="cuantizacion").update(is_published=False)
    assert client.get("/secciones/cuantizacion/").status_code == 404


def test_resources_lists_every_video_and_notebook(client, course):
    html = client.get("/recursos/").content.decode()
    assert html.count('class="resource"') == 51
    assert "Intro to Large Language Models" in html
    assert "LazyMergekit" in html
    assert "Próximamente" in html or "Proximamente" in html


@pytest.mark.parametrize(("kind", "count"), [("video", 36), ("cuaderno", 15)])
def test_resources_filter_by_kind(client, course, kind, count):
    response = client.get("/recursos/", {"tipo": kind})
    assert response.status_code == 200
    assert response.content.decode().count('class="resource"') == count


def test_unknown_resource_kind_gets_a_clear_message(client, course):
    response = client.get("/recursos/", {"tipo": "podcast"})
    assert response.status_code == 400
    assert "Ese tipo de recurso no existe" in response.content.decode()


def test_every_page_has_a_description_and_favicon(client, course):
    for url in ["/", "/secciones/cuantizacion/", "/secciones/cuantizacion/awq/", "/recursos/"]:
        html = client.get(url).content.decode()
        assert '<meta name="description" content="' in html
        assert 'rel="icon"' in html
        assert "<main" in html and "<header" in html and "<footer" in html
