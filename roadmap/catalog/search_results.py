"""/buscar/'s results: sections, topics, references, videos and notebooks, in one search.

Rules (the text rules are in search.py):
- Only published content, by each model's `published()` (its parents published too).
- Within each kind, results whose title holds every word come first, then the rest; course order
  within each of the two. At most RESULTS_PER_KIND per kind are shown, with how many there are.
- Each result carries its title and a snippet of its plain text with the matched words marked
  (snippets.py); a reference also its author.

A fixed number of queries whatever the course's size: the content version, the course's words
(once per content version, kept with the page skeletons), and one query per model.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import Q

from roadmap.catalog.versions import current_content_version
from roadmap.pages.assemble import STORE

from .models import Reference, Section, Topic
from .resources import Resource, ResourceGroup
from .search import Terms, Vocabulary, normalize_search_text
from .snippets import Piece, highlight, plain_text, snippet
from .titles import title_text

RESULTS_PER_KIND = 20


@dataclass
class Result:
    url: str
    title: list[Piece]
    snippet: list[Piece]
    external: bool = False
    byline: list[Piece] = field(default_factory=list)  # a reference's author
    badge: str = ""  # a reference's kind
    badge_icon: str = ""
    where: str = ""  # the section or list it belongs to
    where_url: str = ""


@dataclass
class ResultGroup:
    slug: str
    label: str
    singular: str
    results: list[Result]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.results)


@dataclass
class SearchResults:
    terms: Terms
    groups: list[ResultGroup]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def found(self) -> list[ResultGroup]:
        return [group for group in self.groups if group.total]

    @property
    def corrections(self) -> dict[str, tuple[str, ...]]:
        return self.terms.corrections

    @property
    def missing(self) -> list[str]:
        return self.terms.missing


def _vocabulary() -> Vocabulary:
    def texts(model):
        return model.objects.published().order_by().values_list("search_text", flat=True)

    return Vocabulary(
        texts(Section).union(texts(Topic), texts(Reference), texts(Resource), all=True).order_by()
    )


def current_vocabulary() -> Vocabulary:
    """The words of the published course in its current version (built once per version)."""
    return STORE.get_or_build((current_content_version(), "search-vocabulary"), _vocabulary)


def _ranked(rows, terms: Terms) -> list:
    """Title matches first; the query's order (the course's) within each."""
    return sorted(rows, key=lambda row: not terms.matches_all(normalize_search_text(row.title)))


def _group(slug, label, singular, rows, terms, to_result) -> ResultGroup:
    ranked = _ranked(rows, terms)
    shown = [to_result(row, terms.all_terms) for row in ranked[:RESULTS_PER_KIND]]
    return ResultGroup(slug, label, singular, shown, len(ranked))


def _section(section: Section, terms) -> Result:
    return Result(
        url=section.get_absolute_url(),
        title=highlight(section.title, terms),
        snippet=snippet(plain_text(section.intro_html), terms),
    )


def _topic(topic: Topic, terms) -> Result:
    return Result(
        url=topic.get_absolute_url(),
        title=highlight(topic.title, terms),
        snippet=snippet(plain_text(topic.description_html), terms),
        where=title_text(topic.section.title),
        where_url=topic.section.get_absolute_url(),
    )


def _reference(reference: Reference, terms) -> Result:
    return Result(
        url=reference.url,
        external=True,
        title=highlight(reference.title, terms),
        snippet=snippet(plain_text(reference.description_html), terms),
        byline=highlight(reference.author, terms),
        badge=reference.get_kind_display(),
        badge_icon=reference.kind_icon,
        where=title_text(reference.section.title),
        where_url=reference.get_absolute_url(),
    )


def _resource(resource: Resource, terms) -> Result:
    return Result(
        url=resource.url,
        external=True,
        title=highlight(resource.title, terms),
        snippet=snippet(plain_text(resource.description_html), terms),
        where=title_text(resource.group.title),
        where_url=resource.group.get_absolute_url(),
    )


def search_course(words: list[str]) -> SearchResults:
    """Every published piece of the course that has all `words` (each maybe corrected)."""
    terms = Terms.read(words, current_vocabulary())
    if not terms.can_match:  # a word is nowhere: nothing can match, no need to ask
        sections = topics = references = resources = []
    else:
        each_word = [
            reduce(or_, (Q(search_text__contains=term) for term in found))
            for found in terms.alternatives
        ]
        matches = reduce(and_, each_word)
        sections = (
            Section.objects.published()
            .filter(matches)
            .in_course_order()
            .only("id", "slug", "title", "intro_html")
        )
        topics = (
            Topic.objects.published()
            .filter(matches)
            .select_related("section")
            .in_course_order()
            .only("id", "slug", "title", "description_html", "section__slug", "section__title")
        )
        references = (
            Reference.objects.published()
            .filter(matches)
            .select_related("section")
            .in_course_order()
            .only(
                "id",
                "title",
                "url",
                "author",
                "kind",
                "description_html",
                "section__slug",
                "section__title",
            )
        )
        resources = (
            Resource.objects.published()
            .filter(matches)
            .select_related("group")
            .in_course_order()
            .only(
                "id",
                "title",
                "url",
                "description_html",
                "group__slug",
                "group__title",
                "group__kind",
            )
        )
    resources = list(resources)
    videos = [r for r in resources if r.group.kind == ResourceGroup.Kind.VIDEO]
    notebooks = [r for r in resources if r.group.kind == ResourceGroup.Kind.NOTEBOOK]
    return SearchResults(
        terms,
        [
            _group("secciones", "Secciones", "sección", sections, terms, _section),
            _group("temas", "Temas", "tema", topics, terms, _topic),
            _group("referencias", "Referencias", "referencia", references, terms, _reference),
            _group("videos", "Videos", "video", videos, terms, _resource),
            _group("cuadernos", "Cuadernos", "cuaderno", notebooks, terms, _resource),
        ],
    )
