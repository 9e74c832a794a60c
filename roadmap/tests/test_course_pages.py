"""The real course's home and resources pages (roadmap/fixtures/curso.json, as `make run`)."""

import re

import pytest

from roadmap.models import Part, ResourceGroup

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


def test_the_home_page_describes_each_roadmap_once(client, real_course):
    html = _main(client.get("/").content.decode())
    hero = html[: html.index('class="part"')]
    for part in Part.objects.all():
        assert f"<strong>{part.title}</strong></li>" in hero  # the course's list: names only
        text = part.intro or part.summary
        assert html.count(text.rstrip(".")) == 1, part.title
    first, second, third = Part.objects.order_by("order")
    assert f'<p class="part__summary">{first.title} {first.summary}</p>' in html
    assert second.summary not in html  # its intro says the same
    assert third.summary not in html
