"""Titles keep the course's inline code: <code> on pages, plain text everywhere else."""

import json

import pytest

from roadmap.catalog.titles import title_html, title_text
from roadmap.learning.services import progress_set_status
from roadmap.models import Reference, Resource, Status, Topic

pytestmark = pytest.mark.django_db

GGUF = "/secciones/cuantizacion/gguf-y-llamacpp/"


def test_code_spans_become_code_and_everything_else_is_escaped():
    assert title_html("`GGUF` y `llama.cpp`") == "<code>GGUF</code> y <code>llama.cpp</code>"
    assert title_html("`<b>` & <i>x</i>") == "<code>&lt;b&gt;</code> &amp; &lt;i&gt;x&lt;/i&gt;"
    assert title_html("un ` suelto") == "un ` suelto"


def test_plain_text_drops_the_backticks():
    assert title_text("Fusionar LLMs con `mergekit`") == "Fusionar LLMs con mergekit"
    assert title_text("un ` suelto") == "un ` suelto"


def test_the_topic_page_shows_code_in_the_heading_and_plain_text_in_the_tab(client, real_course):
    html = client.get(GGUF).content.decode()
    assert "<code>GGUF</code> y <code>llama.cpp</code></h1>" in html
    assert '<span aria-current="page"><code>GGUF</code> y <code>llama.cpp</code></span>' in html
    assert "<title>GGUF y llama.cpp · Cuantización · curso</title>" in html
    assert 'content="GGUF y llama.cpp, un tema de' in html
    assert "`" not in html.split("<main")[0]


def test_section_home_and_resources_pages_show_code_in_titles(client, real_course):
    section = client.get("/secciones/arquitectura-de-modelos-de-lenguaje-grandes-llms/")
    assert 'rel="noopener noreferrer"><code>nanoGPT</code></a>' in section.content.decode()
    home = client.get("/").content.decode()
    assert "<code>GPTQ</code> y <code>EXL2</code></a>" in home
    resources = client.get("/recursos/").content.decode()
    assert "Fusionar LLMs usando <code>mergekit</code></a>" in resources
    assert "sobre Fusionar LLMs usando mergekit</span>" in resources


def test_search_finds_titles_with_code_and_shows_the_code(client, real_course):
    assert Reference.objects.get(slug="nanogpt").search_text.startswith("nanogpt andrej karpathy")
    html = client.get("/buscar/", {"q": "nanogpt"}).content.decode()
    assert "<code><mark>nanoGPT</mark></code></a>" in html
    assert "`" not in html


def test_plain_text_places_drop_the_backticks(ana_client, ana, real_course):
    topic = Topic.objects.get(section__slug="cuantizacion", slug="gguf-y-llamacpp")
    assert str(topic) == "GGUF y llama.cpp"
    assert str(Resource.objects.get(slug="fusionar-llms-usando-mergekit")).endswith("mergekit")
    response = ana_client.post(f"{GGUF}estado/", {"status": Status.DONE}, follow=True)
    assert "«GGUF y llama.cpp»: Completado." in response.content.decode()
    csv_text = ana_client.get("/cuenta/exportar/curso-progreso.csv").content.decode("utf-8-sig")
    assert ";GGUF y llama.cpp;Completado;" in csv_text
    data = json.loads(ana_client.get("/cuenta/exportar/curso-datos.json").content)
    assert data["progreso"][0]["tema"] == "GGUF y llama.cpp"


def test_the_learners_pages_show_code_in_titles(ana_client, ana, real_course):
    topic = Topic.objects.get(section__slug="cuantizacion", slug="gguf-y-llamacpp")
    progress_set_status(user=ana, topic=topic, status=Status.IN_PROGRESS)
    html = ana_client.get("/mi-progreso/").content.decode()
    assert "<code>GGUF</code> y <code>llama.cpp</code></a>" in html
    topic_page = ana_client.get(GGUF).content.decode()
    assert "Tu estado en «GGUF y llama.cpp»" in topic_page
