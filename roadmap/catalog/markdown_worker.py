"""The Markdown renderer's own process: Markdown → sanitised HTML, one request per line.

Python-Markdown is slow (quadratic) on some inputs and can raise RecursionError on others, so
the site never runs it in a web worker. `roadmap.catalog.markdown` starts this module as a child
process (`python -m roadmap.catalog.markdown_worker`), waits for its "listo" line, sends it JSON
lines `{"text": ..., "inline": bool}` and reads back `{"html": ...}` or `{"error": ...}` (all
ASCII, so the locale's encoding never matters); when an answer takes too long it kills the child.

This module must not import Django: it starts in a fraction of a second and holds no state.
"""

import contextlib
import json
import resource
import sys

import markdown as markdown_lib
import nh3
from pygments.token import STANDARD_TYPES

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
# Code blocks: Pygments' token classes on spans inside `div.codehilite` (static/css/code.css).
ALLOWED_CLASSES = {
    "div": {"codehilite"},
    "span": {name for name in STANDARD_TYPES.values() if name},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "tables", "sane_lists", "codehilite"]
EXTENSION_CONFIGS = {
    # A block is highlighted only when its fence names the language (```python): guessing would
    # run every lexer over the text.
    "codehilite": {"guess_lang": False, "css_class": "codehilite", "use_pygments": True},
    # Column alignment as the `align` attribute (allowed), not a style (stripped).
    "tables": {"use_align_attribute": True},
}
# A runaway render is killed by the parent on time; this bounds what it can take meanwhile.
MEMORY_LIMIT_BYTES = 2 * 1024**3


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
    )


def render(text: str, *, inline: bool = False) -> str:
    """Block Markdown to sanitised HTML; `inline` drops the single wrapping <p>."""
    html = sanitize_html(
        markdown_lib.markdown(
            text or "",
            extensions=EXTENSIONS,
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
    ).strip()
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def answer(request_line: str) -> dict:
    try:
        request = json.loads(request_line)
        return {"html": render(request["text"], inline=bool(request.get("inline")))}
    except RecursionError:
        return {"error": "recursion"}
    except MemoryError:
        return {"error": "memory"}
    except Exception as error:  # noqa: BLE001 - every failure becomes an answer, never a crash
        return {"error": type(error).__name__}


def main() -> None:
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit may already be set
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    stdout = sys.stdout.buffer
    stdout.write(b"listo\n")  # imports done: the parent's time limit starts from here
    stdout.flush()
    for line in sys.stdin.buffer:
        stdout.write(json.dumps(answer(line.decode("utf-8", "replace"))).encode() + b"\n")
        stdout.flush()


if __name__ == "__main__":
    main()
