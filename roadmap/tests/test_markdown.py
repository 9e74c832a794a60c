"""Markdown is rendered and sanitised: nothing executable survives."""

from roadmap.markdown import render_markdown, render_markdown_inline


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
    assert render_markdown_inline("**hola**") == "<strong>hola</strong>"
