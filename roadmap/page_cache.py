"""Whole-page cache for the busiest pages (home, section pages, resources).

A page is cached per address and per visitor kind: one copy for every anonymous visitor, and one
per signed-in session. Keys carry two version numbers, so nothing is ever served stale:
- the content version, bumped whenever course content is saved, deleted or bulk-updated;
- the learner's version, bumped whenever that learner changes a status, a note or the profile.
Pages with pending messages ("Guardado", "Sesión cerrada"...) are never read from or written to
the cache. PAGE_CACHE_SECONDS=0 turns the cache off.
"""

import hashlib
import secrets
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponse

CONTENT_VERSION_KEY = "curso:content-version"
USER_VERSION_KEY = "curso:user-version:{}"


def _new_version() -> str:
    # Not a counter: a counter that expired and restarted could match an old cached page.
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, _new_version(), None)
        version = cache.get(key)
    return version


def _bump(key: str) -> None:
    cache.set(key, _new_version(), None)


def bump_content_version() -> None:
    _bump(CONTENT_VERSION_KEY)


def bump_user_version(user_id: int) -> None:
    _bump(USER_VERSION_KEY.format(user_id))


def _page_keys(request) -> tuple[str, list[str]] | None:
    """The page's key and the version keys it depends on; None when it must not be cached."""
    if request.method != "GET" or request.COOKIES.get("messages"):
        return None
    versions = [CONTENT_VERSION_KEY]
    visitor = "anon"
    # The signed-in user's id comes from the session, so a cache hit needs no user query. That is
    # safe because any change to the user (password, active flag, name) bumps their version.
    user_id = (
        request.session.get(SESSION_KEY)
        if settings.SESSION_COOKIE_NAME in request.COOKIES
        else None
    )
    if user_id is not None:
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if not csrf or request.session.get("_messages"):
            return None
        versions.append(USER_VERSION_KEY.format(user_id))
        secret = f"{request.session.session_key}:{csrf}"
        visitor = f"u{user_id}:" + hashlib.sha256(secret.encode()).hexdigest()
    page = hashlib.sha256(f"{request.get_full_path()}|{visitor}".encode()).hexdigest()
    return f"curso:page:{page}", versions


def cached_page(view):
    """Serve the view's 200 responses from the cache, as described above.

    One cache round trip per request: the page is stored with the versions it was built from and
    fetched together with the current versions.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        keys = _page_keys(request) if timeout else None
        if keys is None:
            return view(request, *args, **kwargs)
        page_key, version_keys = keys
        found = cache.get_many([page_key, *version_keys])
        versions = [found.get(key) for key in version_keys]
        stored = found.get(page_key)
        if stored is not None and None not in versions and stored[0] == versions:
            return HttpResponse(stored[1])
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            current = [_version(key) for key in version_keys]
            cache.set(page_key, (current, response.content), timeout)
        return response

    return wrapper
