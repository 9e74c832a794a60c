"""Access helpers shared by the views: fetch what the user may see or 404, and safe redirects."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import Section, SlugHistory, Topic


def get_published_topic(section_slug: str, topic_slug: str) -> Topic:
    return get_object_or_404(
        Topic.objects.published().select_related("section__part"),
        section__slug=section_slug,
        slug=topic_slug,
    )


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


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def safe_next_url(request, fallback: str) -> str:
    """The `next` the form sent if it is a path on this site (/...), else `fallback`.

    Only paths pass, so the result is always used as an address: `redirect()` would try a word
    such as "id" as a URL name and fail with a 500.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    is_local_path = (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts=set())
    )
    return target if is_local_path else fallback


def redirect_to_next(request, fallback: str) -> HttpResponseRedirect:
    """Back to the page the form came from (a validated `next`), else to `fallback`."""
    return HttpResponseRedirect(safe_next_url(request, fallback))


def login_needed(request, back_to: str):
    """Anonymous write: JSON clients get 401, browsers go to log in and come back."""
    if wants_json(request):
        return JsonResponse(
            {
                "error": "Iniciá sesión para guardar tu progreso.",
                "login_url": reverse("account_login"),
            },
            status=401,
        )
    return redirect_to_login(back_to)
