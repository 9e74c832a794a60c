"""Whole-page cache for the busiest pages (home, section pages, resources).

A page is cached per address and per visitor kind: one copy for every anonymous visitor, and one
per signed-in session. Each copy records the two versions it was built from:
- the content version, replaced whenever course content is saved, deleted or bulk-updated;
- the learner's version, replaced whenever that learner's statuses, notes, cohorts or account
  change.
A copy is served only while both versions are unchanged, so edits show at once. Versions are
read before the page is built (a page built during an edit is stored under the old versions) and
replaced again when the writing transaction commits (a page built from not-yet-committed data is
dropped too). Pages with pending messages are never read from or written to the cache.

The key comes from server-side state only (the address, the session's key and user): a client
cannot mint new copies by sending new cookie values. A copy whose forms carry a CSRF token
records the CSRF secret it was built with and is served only to a request holding that same
secret; any other request gets the page built again, replacing the copy (the same key), so a
flood of made-up csrftoken cookies costs renders but never adds a stored page.

Where things live: the small version stamps in the shared "default" cache, so an edit made by any
process (a worker, `import_curso`, `loaddata`, a `shell`) reaches every server; the page bodies
in "pages", a bounded store in each process's memory, so page traffic can never evict sessions
or rate-limit counters. When the shared cache cannot answer (a Redis outage) pages are simply
built again. PAGE_CACHE_SECONDS=0 turns it off (the default with a per-process cache).
"""

import hashlib
import secrets
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

CONTENT_VERSION_KEY = "curso:content-version"
USER_VERSION_KEY = "curso:user-version:{}"


def _versions():
    return caches["default"]


def _pages():
    return caches["pages"]


def _new_version() -> str:
    # Not a counter: a counter that expired and restarted could match an old cached page.
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


def _version(key: str) -> str | None:
    """The current version; None when the shared cache cannot answer (then nothing is cached)."""
    cache = _versions()
    version = cache.get(key)
    if version is None:
        cache.add(key, _new_version(), None)
        version = cache.get(key)
    return version


def _bump(key: str) -> None:
    def replace():
        _versions().set(key, _new_version(), None)

    replace()  # now, for this process and anyone reading before the commit...
    transaction.on_commit(replace)  # ...and again once the new data is visible to everyone


def bump_content_version() -> None:
    """Every cached page depends on it: bumping it drops every copy, signed-in ones included."""
    _bump(CONTENT_VERSION_KEY)


def bump_user_version(user_id: int) -> None:
    _bump(USER_VERSION_KEY.format(user_id))


def _csrf(request) -> str | None:
    """The request's CSRF secret, as CsrfViewMiddleware read (or made) it."""
    return request.META.get("CSRF_COOKIE")


def _page_keys(request, params: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """The page's key and the version keys it depends on; None when it must not be cached."""
    if request.method != "GET" or request.COOKIES.get("messages"):
        return None
    versions = [CONTENT_VERSION_KEY]
    visitor = "anon"
    # The signed-in user's id comes from the session, so a cache hit needs no user query. That is
    # safe because any change to the user (password, active flag, name) replaces their version.
    user_id = None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user_id = request.session.get(SESSION_KEY)
    if user_id is not None:
        if request.session.get("_messages"):
            return None
        versions.append(USER_VERSION_KEY.format(user_id))
        session = hashlib.sha256(request.session.session_key.encode()).hexdigest()
        visitor = f"u{user_id}:{session}"
    # Only the parameters the page reads: junk query strings cannot multiply the copies.
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in params)
    page = hashlib.sha256(f"{request.path}?{query}|{visitor}".encode()).hexdigest()
    return f"curso:page:{page}", versions


def cached_page(view=None, *, params: tuple[str, ...] = ()):
    """Serve the view's 200 responses from the page cache, as described above.

    `params`: the query parameters the view reads; others are ignored for the key. One round
    trip to the shared cache on a hit (the versions); the page itself is in this process.
    """
    if view is None:
        return lambda view: cached_page(view, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        keys = _page_keys(request, params) if timeout else None
        if keys is None:
            return view(request, *args, **kwargs)
        page_key, version_keys = keys
        found = _versions().get_many(version_keys)
        versions = [found.get(key) or _version(key) for key in version_keys]
        if None in versions:  # the shared cache is unreachable: serve without the page cache
            return view(request, *args, **kwargs)
        stored = _pages().get(page_key)
        if stored is not None and stored[0] == versions and stored[2] in (None, _csrf(request)):
            return HttpResponse(stored[1])
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            # get_token() marks the request when the page embeds a token for this secret.
            secret = _csrf(request) if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") else None
            _pages().set(page_key, (versions, response.content, secret), timeout)
        return response

    return wrapper
