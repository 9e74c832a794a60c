"""One call per page view: find or build the page's skeleton, then fill it for this visitor."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from roadmap.catalog.models import Topic
from roadmap.catalog.versions import current_content_version
from roadmap.learning.selectors import CourseStructure, course_structure

from .skeleton import Skeleton, SkeletonStore, render_skeleton
from .visitor import HoleTallies, HoleUser, VisitorValues, skeleton_request

STORE = SkeletonStore(max_entries=settings.SKELETON_STORE_ENTRIES)


def assemble(
    request,
    page: tuple,
    template: str,
    content: Callable[[bool], dict | None],
    learner: Callable[[dict], VisitorValues],
    status: int = 200,
    path: str | None = None,
) -> HttpResponse | None:
    """The page for this request, or None when `content` says the page does not exist.

    page: what identifies the page within a content version, e.g. ("section", slug).
    content(signed_in): the template's context for the content (queried only when building),
      None for a page that does not exist; its "facts" entry is kept with the skeleton.
    learner(facts): the signed-in visitor's values (anonymous visitors need no query).
    path: the page's own address, when the request's is another (a form's POST shown again):
      the skeleton is shared by every visitor, so its links and `next` fields must be the page's.
    """
    signed_in = request.user.is_authenticated
    key = (current_content_version(), signed_in, *page)

    def build() -> Skeleton | None:
        context = content(signed_in)
        if context is None:
            return None
        facts = context.pop("facts", {})
        context["request"] = skeleton_request(request, path)
        context["user"] = HoleUser() if signed_in else AnonymousUser()
        if signed_in:
            context["tallies"] = HoleTallies()
        return render_skeleton(template, context, facts)

    skeleton = STORE.get_or_build(key, build)
    if skeleton is None:
        return None
    values = learner(skeleton.facts) if signed_in else VisitorValues(request)
    return HttpResponse(skeleton.fill(values), status=status)


def current_structure(version: str | None = None) -> CourseStructure:
    """The course structure of the current content version (or of `version`, when the caller
    already read it), kept with the skeletons."""
    return STORE.get_or_build((version or current_content_version(), "structure"), course_structure)


def _published_topics() -> dict[tuple[str, str], Topic]:
    topics = Topic.objects.published().select_related("section")
    return {(topic.section.slug, topic.slug): topic for topic in topics}


def published_topic(section_slug: str, topic_slug: str) -> Topic | None:
    """The published topic at this address, with its section, from a map kept with the
    skeletons: a status change or a note finds its topic without a query. The instances are
    shared by every request of this process: read them, never change them."""
    topics = STORE.get_or_build((current_content_version(), "topics"), _published_topics)
    return topics.get((section_slug, topic_slug))
