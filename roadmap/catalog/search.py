"""Accent- and case-insensitive search that behaves the same on SQLite and PostgreSQL.

Each searchable row keeps a normalised copy of its text (`search_text`, filled on save); a query is
normalised the same way and every one of its words must appear.
"""

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12


def normalize_search_text(*parts: str) -> str:
    text = " ".join(part for part in parts if part)
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", without_accents.casefold()).strip()


def query_words(query: str) -> list[str]:
    """The distinct normalised words of a query, in order."""
    words = re.findall(r"\w+", normalize_search_text(query))
    return list(dict.fromkeys(words))
