"""Accent- and case-insensitive search that behaves the same on SQLite and PostgreSQL.

Each searchable row keeps a normalised copy of its text (`search_text`, filled on save); a query is
normalised the same way and every one of its words must appear (as part of a word: "cuant" finds
"cuantización").

One typo per word is forgiven, without anything PostgreSQL-only: a query word of at least
`TYPO_MIN_LENGTH` letters that appears nowhere in the published course is read as the course's
words at one edit from it (a letter changed, added or removed, or two neighbours swapped), the
most frequent `TYPO_MAX_ALTERNATIVES` of them. "cuantisacion" finds "cuantización". The course's
words (`Vocabulary`) are taken from the published texts once per content version.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
TYPO_MIN_LENGTH = 5
TYPO_MAX_ALTERNATIVES = 5

_WORD = re.compile(r"\w+")


def normalize_search_text(*parts: str) -> str:
    text = " ".join(part for part in parts if part)
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", without_accents.casefold()).strip()


def query_words(query: str) -> list[str]:
    """The distinct normalised words of a query, in order."""
    words = _WORD.findall(normalize_search_text(query))
    return list(dict.fromkeys(words))


def within_one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with at most one letter changed, added, removed, or two neighbours
    swapped (optimal string alignment distance ≤ 1)."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    shorter = min(len(a), len(b))
    while i < shorter and a[i] == b[i]:
        i += 1
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]


class Vocabulary:
    """The words of the published course, with how many texts use each."""

    def __init__(self, search_texts: Iterable[str]):
        counts: Counter[str] = Counter()
        for text in search_texts:
            counts.update(set(_WORD.findall(text)))
        self.counts = counts
        # A query word is a substring of some text exactly when it is one of some word there.
        self._joined = "\n".join(counts)
        self._by_length: dict[int, list[str]] = {}
        for word in counts:
            self._by_length.setdefault(len(word), []).append(word)

    def __contains__(self, fragment: str) -> bool:
        return fragment in self._joined

    def near(self, word: str) -> tuple[str, ...]:
        """The course's words at one edit from `word`, most used first (at most
        TYPO_MAX_ALTERNATIVES); none for words shorter than TYPO_MIN_LENGTH."""
        if len(word) < TYPO_MIN_LENGTH:
            return ()
        candidates = [
            other
            for length in (len(word) - 1, len(word), len(word) + 1)
            for other in self._by_length.get(length, ())
            if within_one_edit(word, other)
        ]
        # Words are matched as parts of words: "luna" already finds "lunas".
        candidates = [c for c in candidates if not any(o != c and o in c for o in candidates)]
        candidates.sort(key=lambda other: (-self.counts[other], other))
        return tuple(candidates[:TYPO_MAX_ALTERNATIVES])


@dataclass(frozen=True)
class Terms:
    """A query read against the course: for each word, the words that match it."""

    words: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]

    @classmethod
    def read(cls, words: Iterable[str], vocabulary: Vocabulary) -> "Terms":
        """Each word as typed when the course has it; else its near words (maybe none)."""
        words = tuple(words)
        return cls(
            words, tuple((word,) if word in vocabulary else vocabulary.near(word) for word in words)
        )

    @property
    def can_match(self) -> bool:
        return all(self.alternatives)

    @property
    def corrections(self) -> dict[str, tuple[str, ...]]:
        """{word as typed: the words searched instead} for the corrected words."""
        return {
            word: found
            for word, found in zip(self.words, self.alternatives, strict=True)
            if found and found != (word,)
        }

    @property
    def missing(self) -> list[str]:
        """The words that appear nowhere in the course, not even with one typo."""
        return [
            word for word, found in zip(self.words, self.alternatives, strict=True) if not found
        ]

    @property
    def all_terms(self) -> tuple[str, ...]:
        """Every word that counts as a match (what gets highlighted)."""
        return tuple(dict.fromkeys(term for found in self.alternatives for term in found))

    def matches_all(self, normalized: str) -> bool:
        """Whether every word (as one of its alternatives) is in the normalised text."""
        return all(any(term in normalized for term in found) for found in self.alternatives)
