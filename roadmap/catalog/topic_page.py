"""What a topic page shows, gathered when its skeleton is built (once per content version).

- the topic's own link as a card (title, site, kind: roadmap/catalog/links.py);
- «Recursos de este tema»: the references, videos and notebooks editors attached to the topic;
- «Otras referencias de la sección»: the section's references not already listed above;
- the topics before and after it in course order (across sections).
"""

from dataclasses import dataclass

from roadmap.learning.selectors import course_structure
from roadmap.pages.visitor import HoleTally

from .links import LinkCard, link_card
from .models import Topic
from .resources import ResourceGroup

RESOURCE_KINDS = {ResourceGroup.Kind.VIDEO: "video", ResourceGroup.Kind.NOTEBOOK: "cuaderno"}


@dataclass(frozen=True)
class TopicResource:
    """A reference, video or notebook attached to the topic, as its page lists it."""

    card: LinkCard
    author: str = ""
    description_html: str = ""
    extra_url: str = ""  # a video's or notebook's article
    extra_label: str = ""
    other_section: str = ""  # the title of a reference's section, when it is not the topic's
    reference_id: int | None = None


def topic_resources(topic: Topic) -> list[TopicResource]:
    """The topic's own references (course order), then its videos and notebooks: two queries."""
    references = (
        topic.attached_references.published()
        .select_related("section")
        .order_by("section__part__order", "section__order", "order", "pk")
    )
    resources = (
        topic.attached_resources.published()
        .filter(group__is_published=True)
        .select_related("group")
        .order_by("group__order", "order", "pk")
    )
    items = [
        TopicResource(
            card=link_card(reference.url, reference.title, reference.kind),
            author=reference.author,
            description_html=reference.description_html,
            other_section=""
            if reference.section_id == topic.section_id
            else reference.section.title,
            reference_id=reference.pk,
        )
        for reference in references
    ]
    items += [
        TopicResource(
            card=link_card(resource.url, resource.title, RESOURCE_KINDS.get(resource.group.kind)),
            description_html=resource.description_html,
            extra_url=resource.article_url,
            extra_label=resource.article_label or "Artículo",
        )
        for resource in resources
    ]
    return items


def course_neighbours(topic: Topic) -> tuple[Topic | None, Topic | None]:
    """The published topics before and after `topic` in course order: one query."""
    topics = list(
        Topic.objects.published()
        .in_course_order()
        .select_related("section")
        .only("id", "slug", "title", "emoji", "section__slug", "section__title")
    )
    index = next(i for i, other in enumerate(topics) if other.pk == topic.pk)
    previous = topics[index - 1] if index > 0 else None
    following = topics[index + 1] if index + 1 < len(topics) else None
    return previous, following


def topic_content(section_slug: str, topic_slug: str):
    """The topic page's context builder for `assemble` (None: no such published topic)."""

    def content(signed_in: bool) -> dict | None:
        topic = (
            Topic.objects.published()
            .select_related("section__part")
            .filter(section__slug=section_slug, slug=topic_slug)
            .first()
        )
        if topic is None:
            return None
        section = topic.section
        section.tally = HoleTally(f"section-{section.pk}")
        previous_topic, next_topic = course_neighbours(topic)
        resources = topic_resources(topic)
        shown = {item.reference_id for item in resources}
        others = [
            reference
            for reference in section.references.filter(is_published=True)
            if reference.pk not in shown
        ]
        return {
            "topic": topic,
            "section": section,
            "link": link_card(topic.url, topic.title),
            "topic_resources": resources,
            "references": others,
            "previous_topic": previous_topic,
            "next_topic": next_topic,
            "facts": {"structure": course_structure(), "topic": topic},
        }

    return content
