"""Titles keep the source's inline code (`nanoGPT`, `llama.cpp`) as backticks.

A title is plain text with one piece of Markdown: code spans. Pages show them as <code>
(`title_html`: escaped first, then each span wrapped); plain-text places (the page's <title>,
CSV and JSON exports, messages, the admin, search) drop the backticks (`title_text`).
"""

import re

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

CODE_SPAN_RE = re.compile(r"`([^`]+)`")


def title_text(title: str) -> str:
    """The title as plain text: `nanoGPT` → nanoGPT."""
    return CODE_SPAN_RE.sub(r"\1", str(title))


def title_html(title: str) -> SafeString:
    """The title as HTML: escaped, with each `code span` in <code> (nothing else is markup)."""
    escaped = str(conditional_escape(title))
    return mark_safe(CODE_SPAN_RE.sub(r"<code>\1</code>", escaped))  # escaped above
