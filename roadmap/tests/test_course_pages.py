"""The real course's home and resources pages (roadmap/fixtures/curso.json, as `make run`)."""

import re

import pytest

from roadmap.models import ResourceGroup

pytestmark = pytest.mark.django_db


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_resources_have_spanish_headings_and_no_empty_list(client, real_course):
    html = _main(client.get("/recursos/").content.decode())
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", html) == ["Videos varios", "Cuadernos"]
    assert "Clases en video" not in html
    assert "roximamente" not in html
    assert "Notebooks" not in html and "random" not in html


def test_the_notebooks_intro_sits_under_the_notebooks_heading(client, real_course):
    html = _main(client.get("/recursos/", {"tipo": "cuaderno"}).content.decode())
    heading = html.index(">Cuadernos</h2>")
    intro = html.index("Una lista de cuadernos y artículos")
    tools = html.index('id="grupo-cuadernos-herramientas"')
    assert heading < intro < tools
    assert html.count("Una lista de cuadernos y artículos") == 1


def test_a_list_with_items_again_shows_its_own_text(client, real_course):
    classes = ResourceGroup.objects.get(slug="clases-en-video")
    classes.resources.create(slug="clase-1", title="Clase 1", url="https://example.org/clase-1")
    html = _main(client.get("/recursos/").content.decode())
    assert ">Clases en video</h2>" in html and "Próximamente." in html
