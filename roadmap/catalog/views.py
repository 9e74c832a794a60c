from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from roadmap.learning.forms import NoteForm
from roadmap.learning.models import Note, Status
from roadmap.learning.selectors import course_tallies, sections_with_topic_counts, statuses_for
from roadmap.page_cache import cached_page

from .access import redirect_old_address
from .forms import ResourceFilterForm, SearchForm
from .models import Course, Part, Reference, Section, Topic
from .resources import ResourceGroup

SEARCH_RESULTS_PER_KIND = 50


def _neighbours(items: list, current) -> tuple:
    """The items before and after `current` in `items` (None at the ends)."""
    index = items.index(current)
    previous = items[index - 1] if index > 0 else None
    following = items[index + 1] if index + 1 < len(items) else None
    return previous, following


def learner_topic_context(request, topic: Topic, note_form: NoteForm | None = None) -> dict:
    """The signed-in learner's status, tallies and note for a topic page."""
    if not request.user.is_authenticated:
        return {}
    tallies = course_tallies(request.user)
    topic.status = statuses_for(request.user, [topic]).get(topic.pk, Status.PENDING)
    topic.section.tally = tallies.for_section(topic.section_id)
    topic.section.part.tally = tallies.for_part(topic.section.part_id)
    note = Note.objects.filter(user=request.user, topic=topic).first()
    return {
        "tallies": tallies,
        "note": note,
        "note_form": note_form or NoteForm(instance=note),
    }


@require_safe
@cached_page
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
    tallies = None
    if request.user.is_authenticated:
        tallies = course_tallies(request.user, sections)
        statuses = statuses_for(request.user, Topic.objects.published())
        for part in parts:
            part.tally = tallies.for_part(part.pk)
            for section in part.sections.all():
                section.tally = tallies.for_section(section.pk)
                for topic in section.topics.all():
                    topic.status = statuses.get(topic.pk, Status.PENDING)
    context = {
        "tallies": tallies,
        "course": Course.objects.first(),
        "parts": parts,
        "section_count": len(sections),
        "topic_count": sum(section.topic_count for section in sections),
        "reference_count": sum(section.reference_count for section in sections),
        "resource_counts": resource_counts,
    }
    return render(request, "roadmap/home.html", context)


@require_safe
@cached_page
def section_detail(request, section_slug: str):
    section = Section.objects.published().select_related("part").filter(slug=section_slug).first()
    if section is None:
        return redirect_old_address(section_slug)
    course_sections = list(sections_with_topic_counts().in_course_order())
    previous_section, next_section = _neighbours(course_sections, section)
    topics = list(section.topics.filter(is_published=True))
    tallies = None
    if request.user.is_authenticated:
        tallies = course_tallies(request.user, course_sections)
        statuses = statuses_for(request.user, topics)
        for topic in topics:
            topic.status = statuses.get(topic.pk, Status.PENDING)
        section.tally = tallies.for_section(section.pk)
        section.part.tally = tallies.for_part(section.part_id)
    context = {
        "section": section,
        "topics": topics,
        "references": list(section.references.filter(is_published=True)),
        "previous_section": previous_section,
        "next_section": next_section,
        "tallies": tallies,
    }
    return render(request, "roadmap/section_detail.html", context)


def topic_page_context(request, topic: Topic) -> dict:
    section = topic.section
    siblings = list(section.topics.filter(is_published=True).only("id", "slug", "title", "emoji"))
    previous_topic, next_topic = _neighbours(siblings, topic)
    return {
        "topic": topic,
        "section": section,
        "references": list(section.references.filter(is_published=True)),
        "previous_topic": previous_topic,
        "next_topic": next_topic,
    }


@require_safe
def topic_detail(request, section_slug: str, topic_slug: str):
    topic = (
        Topic.objects.published()
        .select_related("section__part")
        .filter(section__slug=section_slug, slug=topic_slug)
        .first()
    )
    if topic is None:
        return redirect_old_address(section_slug, topic_slug)
    context = {**topic_page_context(request, topic), **learner_topic_context(request, topic)}
    return render(request, "roadmap/topic_detail.html", context)


@require_safe
@cached_page(params=("tipo",))
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


@require_safe
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
