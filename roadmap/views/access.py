"""Access helpers shared by the views: fetch what the user may see or 404, and safe redirects."""

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import Section, Topic


def get_published_section(slug: str) -> Section:
    return get_object_or_404(Section.objects.published().select_related("part"), slug=slug)


def get_published_topic(section_slug: str, topic_slug: str) -> Topic:
    return get_object_or_404(
        Topic.objects.published().select_related("section__part"),
        section__slug=section_slug,
        slug=topic_slug,
    )


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def safe_next_url(request, fallback: str) -> str:
    """The `next` the form sent, if it points back into this site; else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else fallback


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
