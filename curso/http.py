"""HTTP helpers every view may use: JSON or browser, safe `next` redirects, log in and back."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


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
