"""Fetch published content or 404, and send renamed sections' and topics' old addresses on."""

from django.http import Http404, HttpResponsePermanentRedirect

from .models import Section, Topic
from .redirects import SlugHistory


def _current_section(slug: str) -> Section | None:
    """The published section that has, or used to have, this slug."""
    published = Section.objects.published()
    section = published.filter(slug=slug).first()
    if section is None:
        old = (
            SlugHistory.objects.filter(section__in=published, section_slug=slug)
            .select_related("section")
            .order_by("-created_at", "-pk")
            .first()
        )
        section = old.section if old else None
    return section


def redirect_old_address(section_slug: str, topic_slug: str | None = None):
    """301 from a renamed section's or topic's old address to its current one; else 404."""
    if topic_slug is None:
        section = _current_section(section_slug)
        if section is not None and section.slug != section_slug:
            return HttpResponsePermanentRedirect(section.get_absolute_url())
        raise Http404("No existe esa sección.")
    published = Topic.objects.published().select_related("section")
    old = (
        SlugHistory.objects.filter(
            topic__in=published, section_slug=section_slug, topic_slug=topic_slug
        )
        .select_related("topic__section")
        .order_by("-created_at", "-pk")
        .first()
    )
    topic = old.topic if old else None
    if topic is None:
        section = _current_section(section_slug)
        if section is not None and section.slug != section_slug:
            topic = published.filter(section=section, slug=topic_slug).first()
            if topic is None:  # the topic was renamed too, after its section
                older = (
                    SlugHistory.objects.filter(
                        topic__in=published.filter(section=section), topic_slug=topic_slug
                    )
                    .select_related("topic__section")
                    .order_by("-created_at", "-pk")
                    .first()
                )
                topic = older.topic if older else None
    if topic is not None:
        return HttpResponsePermanentRedirect(topic.get_absolute_url())
    raise Http404("No existe ese tema.")
