"""Project-wide middleware: Spanish 503s for what a retry fixes (the database down or busy, the
rate limits unavailable), and private caching for pages that show one person's data."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 10
BUSY_RETRY_AFTER_SECONDS = 3
RATE_LIMITS_RETRY_AFTER_SECONDS = 60


def unavailable(reason: str, retry_after: int) -> HttpResponse:
    # The template is self-contained: it touches neither the database nor the session.
    response = HttpResponse(render_to_string("503.html", {"reason": reason}), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def is_database_busy(exception: Exception) -> bool:
    """SQLite's "database is locked": another writer held the file past the busy timeout."""
    return isinstance(exception, OperationalError) and "database is locked" in str(exception)


def rate_limits_available() -> bool:
    """Whether allauth can count attempts now (a cache without a health probe always can)."""
    is_available = getattr(caches["default"], "is_available", None)
    return is_available is None or is_available()


class ServiceUnavailableMiddleware:
    """Spanish 503s with Retry-After for what a retry fixes (one middleware: each costs a request).

    - The database is down (or, on SQLite, busy past its timeout): a page that says so.
    - The cache that counts login attempts is unreachable: allauth's forms are refused, because
      without its counters allauth could not limit password guessing. Every POST to an allauth
      page (login, signup, password reset and change, email management, login codes) gets the
      503; logging out still works, and so does every page a signed-in learner already had open
      (their session comes from the database).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        is_allauth = (name or "").startswith("account_") or request.path.startswith("/accounts/")
        if not is_allauth or name == "account_logout":
            return None
        if rate_limits_available():
            return None
        logger.warning("Límites de intentos no disponibles: %s rechazado con 503", request.path)
        return unavailable("rate_limits", RATE_LIMITS_RETRY_AFTER_SECONDS)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if is_database_busy(exception):
            logger.warning("Base de datos ocupada: %s", exception)
            return unavailable("busy", BUSY_RETRY_AFTER_SECONDS)
        logger.error("Base de datos no disponible: %s", exception)
        return unavailable("database", RETRY_AFTER_SECONDS)


class PrivatePagesMiddleware:
    """A request with a session may be a signed-in person's: their name and data are in the page
    or the download, so no shared cache or browser history may keep a copy.

    It looks at the session cookie only, never at `request.user`: reading the user would query a
    database that may be down (the 503 page must not become a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True, no_store=True)
        return response
