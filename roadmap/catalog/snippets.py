"""What a search result shows of its text: a window around the first match, words marked.

Matching is accent- and case-insensitive (roadmap/catalog/search.py), so the text is folded the
same way one character at a time, keeping where each folded character came from: a match of
"cuantizacion" marks the original "cuantización". The results are `Piece`s (text, marked), never
HTML: the template filter `with_marks` (roadmap/templatetags/search_tags.py) escapes every piece
and wraps the marked ones in <mark>.

Snippets are cut from plain text: the stored, sanitised HTML with its tags removed (nothing is
rendered from Markdown while serving).
"""

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

SNIPPET_CHARS = 160
SNIPPET_BEFORE = 50  # characters shown before the first match, about

# A tag, with attribute values that may hold ">"; block-level ones become a space.
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|pre|blockquote|br|hr|table|thead|tbody|tr|td|th|dl|dt|dd)\b",
    re.IGNORECASE,
)


class Piece(NamedTuple):
    text: str
    marked: bool = False


def plain_text(stored_html: str) -> str:
    """The words of stored HTML, on one line (tags dropped, entities decoded)."""

    def replace(tag: re.Match) -> str:
        return " " if _BLOCK_TAG.match(tag.group()) else ""

    return " ".join(html.unescape(_TAG.sub(replace, stored_html)).split())


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character as `normalize_search_text` leaves it (maybe none, maybe several)."""
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each folded character, the index of its original (None: the
    same index, for ASCII text)."""
    if text.isascii():
        return text.lower(), None
    pieces = [_fold_char(ch) for ch in text]
    origins = [i for i, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), origins


def _first_match(text: str, terms: Iterable[str]) -> tuple[int, int] | None:
    """(start, end) in `text` of the earliest match of any term."""
    folded, origins = _fold(text)
    found = [(start, len(term)) for term in terms if (start := folded.find(term)) != -1]
    if not found:
        return None
    start, length = min(found)
    if origins is None:
        return start, start + length
    return origins[start], origins[start + length - 1] + 1


def highlight(text: str, terms: Iterable[str]) -> list[Piece]:
    """`text` in pieces, every match of a term marked (overlapping matches merged)."""
    folded, origins = _fold(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    if origins is not None:
        spans = [(origins[start], origins[end - 1] + 1) for start, end in spans]
    pieces, position = [], 0
    for start, end in sorted(spans):
        if end <= position:
            continue
        start = max(start, position)
        if start > position:
            pieces.append(Piece(text[position:start]))
        if pieces and pieces[-1].marked and start == position:
            pieces[-1] = Piece(pieces[-1].text + text[start:end], True)
        else:
            pieces.append(Piece(text[start:end], True))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def snippet(text: str, terms: Iterable[str]) -> list[Piece]:
    """About SNIPPET_CHARS characters of `text` around its first match (its beginning when
    nothing matches), cut between words, with "…" where it was cut, matches marked."""
    terms = tuple(terms)
    if len(text) <= SNIPPET_CHARS:
        return highlight(text, terms)
    match = _first_match(text, terms)
    first, first_end = match if match else (0, 0)
    start = max(0, min(first - SNIPPET_BEFORE, len(text) - SNIPPET_CHARS))
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", max(start, first_end), end)
        end = space if space != -1 else end
    pieces = highlight(text[start:end].strip(), terms)
    if start > 0:
        pieces.insert(0, Piece("… "))
    if end < len(text):
        pieces.append(Piece(" …"))
    return pieces
