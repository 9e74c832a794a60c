from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from .forms import ResourceFilterForm, SearchForm
from .models import Course, Part, Reference, ResourceGroup, Section, Topic

SEARCH_RESULTS_PER_KIND = 50


def _get_published_section(slug: str) -> Section:
    return get_object_or_404(Section.objects.published().select_related("part"), slug=slug)


def _neighbours(items: list, current) -> tuple:
    """The items before and after `current` in `items` (None at the ends)."""
    index = items.index(current)
    previous = items[index - 1] if index > 0 else None
    following = items[index + 1] if index + 1 < len(items) else None
    return previous, following


def home(request):
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
    context = {
        "course": Course.objects.first(),
        "parts": parts,
        "section_count": len(sections),
        "topic_count": sum(section.topic_count for section in sections),
        "reference_count": sum(section.reference_count for section in sections),
        "resource_counts": resource_counts,
    }
    return render(request, "roadmap/home.html", context)


def section_detail(request, section_slug: str):
    section = _get_published_section(section_slug)
    course_sections = list(
        Section.objects.published().in_course_order().only("id", "slug", "title", "emoji")
    )
    previous_section, next_section = _neighbours(course_sections, section)
    context = {
        "section": section,
        "topics": list(section.topics.filter(is_published=True)),
        "references": list(section.references.filter(is_published=True)),
        "previous_section": previous_section,
        "next_section": next_section,
    }
    return render(request, "roadmap/section_detail.html", context)


def topic_detail(request, section_slug: str, topic_slug: str):
    topic = get_object_or_404(
        Topic.objects.published().select_related("section__part"),
        section__slug=section_slug,
        slug=topic_slug,
    )
    section = topic.section
    siblings = list(section.topics.filter(is_published=True).only("id", "slug", "title", "emoji"))
    previous_topic, next_topic = _neighbours(siblings, topic)
    context = {
        "topic": topic,
        "section": section,
        "references": list(section.references.filter(is_published=True)),
        "previous_topic": previous_topic,
        "next_topic": next_topic,
    }
    return render(request, "roadmap/topic_detail.html", context)


def resources(request):
    form = ResourceFilterForm(request.GET)
    kind = form.cleaned_data["tipo"] if form.is_valid() else ""
    groups = ResourceGroup.objects.published().prefetch_related("resources")
    if kind:
        groups = groups.filter(kind=kind)
    context = {
        "form": form,
        "kind": kind,
        "kinds": ResourceGroup.Kind.choices,
        "groups": [
            (group, [r for r in group.resources.all() if r.is_published]) for group in groups
        ],
    }
    return render(
        request, "roadmap/resources.html", context, status=200 if form.is_valid() else 400
    )


def search(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "query": request.GET.get("q", "")[:200]}
    status = 200
    if form.is_bound and form.is_valid():
        words = form.cleaned_data["q"]
        matches = Q()
        for word in words:
            matches &= Q(search_text__contains=word)
        sections = Section.objects.published().filter(matches).in_course_order()
        topics = (
            Topic.objects.published()
            .filter(matches)
            .select_related("section")
            .order_by("section__part__order", "section__order", "order")
        )
        references = (
            Reference.objects.published()
            .filter(matches, section__is_published=True, section__part__is_published=True)
            .select_related("section")
            .order_by("section__part__order", "section__order", "order")
        )
        context["results"] = [
            ("Secciones", list(sections[:SEARCH_RESULTS_PER_KIND])),
            ("Temas", list(topics[:SEARCH_RESULTS_PER_KIND])),
            ("Referencias", list(references[:SEARCH_RESULTS_PER_KIND])),
        ]
        context["result_count"] = sum(len(items) for _label, items in context["results"])
    elif form.has_error("q", "max_length"):
        status = 400
    return render(request, "roadmap/search.html", context, status=status)
