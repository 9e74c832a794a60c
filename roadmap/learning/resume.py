"""«Seguir con»: where a signed-in learner picks up, on the home page, sections and Mi progreso.

The rule is `selectors.resume_topic` (the topic in progress changed last, else the first one left
to do in course order). The card has three shapes (started, next, nothing left); each is a small
skeleton of its own, filled per request with the topic's title and address from the page's facts
(`course_topics`, gathered once per content version): no template rendering, no `reverse()`.
"""

from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import mark_safe

from roadmap.catalog.models import Topic
from roadmap.catalog.titles import title_html
from roadmap.pages.assemble import STORE
from roadmap.pages.skeleton import Hole, render_skeleton
from roadmap.pages.visitor import VisitorValues, learner_values

from .selectors import learner_progress, resume_topic

TEMPLATE = "roadmap/partials/resume.html"


class CourseTopic(NamedTuple):
    """What a page that links to any topic needs of it, kept with the page's skeleton."""

    title: str
    url: str
    section_title: str
    title_html: str  # `titles.title_html`, made once with the facts


def course_topics() -> dict[int, CourseTopic]:
    """Every published topic, in course order, with its address: one query (when a skeleton is
    built, never per request)."""
    topics = (
        Topic.objects.published()
        .in_course_order()
        .select_related("section")
        .only("id", "slug", "title", "section__slug", "section__title")
    )
    return {
        t.pk: CourseTopic(t.title, t.get_absolute_url(), t.section.title, title_html(t.title))
        for t in topics
    }


class _StandIn:
    title = Hole("resume_title")
    url = Hole("resume_url")
    section_title = Hole("resume_section")


class _Values:
    def __init__(self, topic: CourseTopic | None):
        self.topic = topic

    def resume_title(self) -> str:
        return self.topic.title_html  # escaped, code spans in <code>

    def resume_url(self) -> str:
        return escape(self.topic.url)

    def resume_section(self) -> str:
        return escape(self.topic.section_title)


def resume_html(facts: dict, progress) -> str:
    """The «Seguir con» card for a learner's `progress` ((topic, status, last change) rows).
    facts: the page's "structure" (CourseStructure) and "topics" (`course_topics()`)."""
    topic_id, started = resume_topic(facts["structure"], progress)
    topic = facts["topics"].get(topic_id)
    state = "done" if topic is None else "started" if started else "next"
    skeleton = STORE.get_or_build(
        ("resume", state),
        lambda: render_skeleton(TEMPLATE, {"state": state, "topic": _StandIn()}),
    )
    return mark_safe(skeleton.fill(_Values(topic)))  # each value is escaped by _Values


def resuming_learner_values(request, facts: dict, panels=None) -> VisitorValues:
    """A signed-in visitor's values with the «Seguir con» card as the "resume" panel: one
    query, the same as `learner_values` (it reads each status's last change too)."""
    progress = learner_progress(request.user)
    panels = {**(panels or {}), "resume": lambda: resume_html(facts, progress)}
    return learner_values(request, facts, panels, progress=progress)
