"""The parsed course as plain data: what the parser produces and the importer syncs."""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass
class TopicData:
    slug: str
    title: str
    description: str
    url: str = ""
    emoji: str = ""


@dataclass
class ReferenceData:
    slug: str
    title: str
    url: str
    kind: str
    author: str = ""
    description: str = ""


@dataclass
class SectionData:
    slug: str
    title: str
    intro: str = ""
    emoji: str = ""
    topics: list[TopicData] = field(default_factory=list)
    references: list[ReferenceData] = field(default_factory=list)


@dataclass
class PartData:
    slug: str
    title: str
    emoji: str
    heading: str
    summary: str = ""
    intro: str = ""
    sections: list[SectionData] = field(default_factory=list)


@dataclass
class ResourceData:
    slug: str
    title: str
    url: str
    emoji: str = ""
    description: str = ""
    article_url: str = ""
    article_label: str = ""


@dataclass
class ResourceGroupData:
    slug: str
    title: str
    kind: str
    collection: str
    emoji: str = ""
    intro: str = ""
    resources: list[ResourceData] = field(default_factory=list)


@dataclass
class CourseContent:
    intro: str = ""
    acknowledgements: str = ""
    parts: list[PartData] = field(default_factory=list)
    resource_groups: list[ResourceGroupData] = field(default_factory=list)

    @property
    def sections(self) -> list[SectionData]:
        return [section for part in self.parts for section in part.sections]

    @property
    def topics(self) -> list[TopicData]:
        return [topic for section in self.sections for topic in section.topics]

    @property
    def references(self) -> list[ReferenceData]:
        return [ref for section in self.sections for ref in section.references]

    def resources_of_kind(self, kind: str) -> list[ResourceData]:
        return [r for g in self.resource_groups if g.kind == kind for r in g.resources]


class ContentError(ValueError):
    """The source does not have the shape the parser expects; the message says where."""


def make_slug(title: str) -> str:
    """Spanish title → URL slug: accents dropped, "/" treated as a word break."""
    return slugify(title.replace("/", " ")) or "sin-titulo"


def unique_slug(title: str, taken: set[str]) -> str:
    base = make_slug(title)[:110]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def title_markdown(markdown_fragment: str) -> str:
    """A title from a one-line Markdown fragment: links and emphasis dropped, `code` kept.

    Pages show the code spans as <code> and plain text drops them (roadmap/catalog/titles.py)."""
    return LINK_RE.sub(r"\1", markdown_fragment).replace("*", "").strip()


def plain_text(markdown_fragment: str) -> str:
    """Drop links, emphasis and code marks from a one-line Markdown fragment."""
    text = LINK_RE.sub(r"\1", markdown_fragment)
    return re.sub(r"[*`]", "", text).strip()
