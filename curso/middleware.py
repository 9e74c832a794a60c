"""Project-wide response headers."""

from django.conf import settings
from django.utils.cache import patch_cache_control


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
