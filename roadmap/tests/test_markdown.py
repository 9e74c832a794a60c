"""Markdown is rendered in its own process, sanitised, and never allowed to stall or crash."""

import threading
import time

import pytest

from roadmap.catalog import markdown
from roadmap.catalog.markdown import (
    UNAVAILABLE_MESSAGE,
    MarkdownError,
    RendererUnavailable,
    render_markdown,
    render_markdown_or_escape,
)
from tests.hostile_markdown import HOSTILE_MARKDOWN


@pytest.fixture(autouse=True)
def fresh_renderer(monkeypatch):
    """Each test gets its own renderer process and an empty memory of refused texts."""
    worker = markdown._Worker()
    monkeypatch.setattr(markdown, "_worker", worker)
    yield worker
    worker._stop()


def test_markdown_renders_lists_code_and_links():
    html = render_markdown("- uno\n- `dos`\n\n[tres](https://example.com/)")
    assert "<li>uno</li>" in html
    assert "<code>dos</code>" in html
    assert '<a href="https://example.com/" rel="noopener noreferrer">tres</a>' in html


def test_script_tags_are_removed():
    html = render_markdown("hola <script>alert('x')</script> chau")
    assert "<script" not in html
    assert "alert" not in html or "&lt;" in html


def test_javascript_links_lose_their_target():
    html = render_markdown("[clic](javascript:alert(1))")
    assert "javascript:" not in html


def test_event_handler_attributes_are_removed():
    html = render_markdown('<a href="https://example.com" onclick="robar()">x</a>')
    assert "onclick" not in html
    assert 'href="https://example.com"' in html


def test_images_are_not_rendered():
    assert "<img" not in render_markdown("![x](https://example.com/x.png)")


def test_inline_rendering_has_no_paragraph_wrapper():
    assert render_markdown("**hola**", inline=True) == "<strong>hola</strong>"


def test_blank_text_renders_to_nothing_without_a_worker_round_trip():
    assert render_markdown("   \n") == ""


@pytest.mark.parametrize("name", HOSTILE_MARKDOWN)
def test_hostile_text_is_rendered_or_refused_within_the_time_limit(name, settings):
    started = time.monotonic()
    try:
        html = render_markdown(HOSTILE_MARKDOWN[name])
    except MarkdownError as error:
        assert "Tu texto sigue acá" in str(error)
    else:
        assert "<script" not in html
    assert time.monotonic() - started < settings.MARKDOWN_RENDER_TIMEOUT + 1.5


def test_unmatched_brackets_are_refused_with_a_spanish_message():
    with pytest.raises(MarkdownError, match="No pudimos procesar este texto"):
        render_markdown(HOSTILE_MARKDOWN["unmatched brackets"])


def test_a_parser_crash_is_refused_and_the_renderer_keeps_working():
    with pytest.raises(MarkdownError, match="demasiado compleja"):
        render_markdown(HOSTILE_MARKDOWN["definition list recursion"])
    assert render_markdown("*bien*") == "<p><em>bien</em></p>"


def test_the_renderer_recovers_after_a_render_is_killed():
    with pytest.raises(MarkdownError):
        render_markdown(HOSTILE_MARKDOWN["link chain"])
    assert render_markdown("después") == "<p>después</p>"


def test_a_text_refused_for_time_is_refused_at_once_the_second_time():
    with pytest.raises(MarkdownError):
        render_markdown(HOSTILE_MARKDOWN["reference chain"])
    started = time.monotonic()
    with pytest.raises(MarkdownError):
        render_markdown(HOSTILE_MARKDOWN["reference chain"])
    assert time.monotonic() - started < 0.5


def test_back_fills_keep_an_unrenderable_text_as_escaped_paragraphs():
    html = render_markdown_or_escape("<b>x</b>\n" + HOSTILE_MARKDOWN["unmatched brackets"])
    assert html.startswith("<p>&lt;b&gt;x&lt;/b&gt;")


def test_a_normal_text_waiting_behind_a_hostile_one_is_rendered(settings):
    """The time limit starts when a render has the process: waiting never counts against it."""
    results = {}

    def render(name, text):
        try:
            results[name] = render_markdown(text)
        except MarkdownError as error:
            results[name] = error

    hostile = threading.Thread(
        target=render, args=("hostile", HOSTILE_MARKDOWN["unmatched brackets"])
    )
    hostile.start()
    time.sleep(0.05)
    render("normal", "Una nota *normal* de un aprendiz.")
    hostile.join()
    assert isinstance(results["hostile"], MarkdownError)
    assert results["normal"] == "<p>Una nota <em>normal</em> de un aprendiz.</p>"


def test_text_in_any_alphabet_survives_whatever_the_locale(monkeypatch):
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    monkeypatch.setenv("LC_ALL", "C")
    html = render_markdown("Canción *ñandú* 😀 — «comillas» 中文")
    assert html == "<p>Canción <em>ñandú</em> 😀 — «comillas» 中文</p>"


def test_a_renderer_that_cannot_start_says_so_instead_of_blaming_the_text(monkeypatch, caplog):
    monkeypatch.setattr(markdown.sys, "executable", "/bin/false")
    with pytest.raises(RendererUnavailable) as error:
        render_markdown("*hola*")
    assert str(error.value) == UNAVAILABLE_MESSAGE
    assert "no arrancó" in caplog.text
    with pytest.raises(RendererUnavailable):  # a back-fill stops instead of storing plain text
        render_markdown_or_escape("*hola*")
