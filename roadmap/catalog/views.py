from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from roadmap.learning.forms import NoteForm
from roadmap.learning.note_panel import note_panel_html
from roadmap.learning.resume import course_topics, resuming_learner_values
from roadmap.learning.selectors import course_structure
from roadmap.pages.assemble import assemble
from roadmap.pages.visitor import HoleTally, VisitorValues, learner_values

from .access import redirect_old_address
from .forms import ResourceFilterForm, SearchForm
from .models import Course, Part, Section
from .resources import ResourceGroup
from .search import MAX_QUERY_LENGTH
from .search_results import search_course
from .topic_page import topic_content


def _neighbours(items: list, current) -> tuple:
    """The items before and after `current` in `items` (None at the ends)."""
    index = items.index(current)
    previous = items[index - 1] if index > 0 else None
    following = items[index + 1] if index + 1 < len(items) else None
    return previous, following


def _home_content(signed_in: bool) -> dict:
    parts = list(Part.objects.for_roadmap())
    resource_counts = ResourceGroup.objects.published().aggregate(
        videos=Count(
            "resources",
            filter=Q(kind=ResourceGroup.Kind.VIDEO, resources__is_published=True),
        ),
        notebooks=Count(
            "resources",
            filter=Q(kind=ResourceGroup.Kind.NOTEBOOK, resources__is_published=True),
        ),
    )
    sections = [section for part in parts for section in part.sections.all()]
    for part in parts:
        part.tally = HoleTally(f"part-{part.pk}")
    for section in sections:
        section.tally = HoleTally(f"section-{section.pk}")
    return {
        "course": Course.objects.first(),
        "parts": parts,
        "section_count": len(sections),
        "topic_count": sum(section.topic_count for section in sections),
        "reference_count": sum(section.reference_count for section in sections),
        "resource_counts": resource_counts,
        "facts": {"structure": course_structure(), "topics": course_topics()},
    }


@require_safe
def home(request):
    return assemble(
        request,
        ("home",),
        "roadmap/home.html",
        _home_content,
        lambda facts: resuming_learner_values(request, facts),
    )


@require_safe
def section_detail(request, section_slug: str):
    def content(signed_in: bool) -> dict | None:
        section = (
            Section.objects.published().select_related("part").filter(slug=section_slug).first()
        )
        if section is None:
            return None
        course_sections = list(Section.objects.published().in_course_order())
        previous_section, next_section = _neighbours(course_sections, section)
        topics = list(section.topics.filter(is_published=True))
        section.tally = HoleTally(f"section-{section.pk}")
        section.part.tally = HoleTally(f"part-{section.part_id}")
        return {
            "section": section,
            "topics": topics,
            "references": list(section.references.filter(is_published=True)),
            "previous_section": previous_section,
            "next_section": next_section,
            "facts": {"structure": course_structure(), "topics": course_topics()},
        }

    response = assemble(
        request,
        ("section", section_slug),
        "roadmap/section_detail.html",
        content,
        lambda facts: resuming_learner_values(request, facts),
    )
    return response or redirect_old_address(section_slug)


def topic_page(
    request,
    section_slug: str,
    topic_slug: str,
    note_form: NoteForm | None = None,
    status: int = 200,
    path: str | None = None,
):
    """A topic page; note_form: the learner's rejected note, shown again with its errors;
    path: the page's own address when the request's is another (the note's POST)."""

    def learner(facts: dict):
        topic = facts["topic"]

        def note_panel() -> str:
            return note_panel_html(request, topic, rejected=note_form, path=path)

        return learner_values(request, facts, panels={"note": note_panel})

    return assemble(
        request,
        ("topic", section_slug, topic_slug),
        "roadmap/topic_detail.html",
        topic_content(section_slug, topic_slug),
        learner,
        status=status,
        path=path,
    )


@require_safe
def topic_detail(request, section_slug: str, topic_slug: str):
    response = topic_page(request, section_slug, topic_slug)
    return response or redirect_old_address(section_slug, topic_slug)


def _resources_context(form: ResourceFilterForm, kind: str) -> dict:
    groups = ResourceGroup.objects.published().prefetch_related("resources")
    if kind:
        groups = groups.filter(kind=kind)
    listed = [(group, [r for r in group.resources.all() if r.is_published]) for group in groups]
    # Only what a learner can open: a group with no items is left out, and so is a list's own
    # text when the list has none yet ("Clases en video: próximamente").
    filled = {group.collection for group, items in listed if items}
    return {
        "form": form,
        "kind": kind,
        "kinds": ResourceGroup.Kind.choices,
        "groups": [
            (group, items)
            for group, items in listed
            if items or (group.is_collection_text and group.collection in filled)
        ],
    }


@require_safe
def resources(request):
    form = ResourceFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "roadmap/resources.html", _resources_context(form, ""), status=400)
    kind = form.cleaned_data["tipo"]
    return assemble(
        request,
        ("resources", kind),
        "roadmap/resources.html",
        lambda signed_in: _resources_context(form, kind),
        lambda facts: VisitorValues(request),
    )


@require_safe
def search(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "query": request.GET.get("q", "")[:MAX_QUERY_LENGTH]}
    status = 200
    if form.is_bound and form.is_valid():
        context["results"] = search_course(form.cleaned_data["q"])
    elif form.has_error("q", "max_length"):
        status = 400
    return render(request, "roadmap/search.html", context, status=status)
