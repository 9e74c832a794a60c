"""Liveness and readiness. `/salud/`: the process answers (no database, no cache).
Readiness: can this process serve real pages?

`/salud/listo/` checks the database and the shared cache, each with a short timeout, and answers
200 "listo" or 503 with what is missing, in Spanish. For load balancers and monitoring: a process
whose cache is down still serves pages (slower, and without logins), so take it out of rotation
or page someone, as you prefer; a process without a database cannot serve anything.
"""

import logging
import secrets

from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_ready() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("Listo: la base de datos no responde: %s", error)
        return False


def cache_ready() -> bool:
    cache = caches["default"]
    probe = getattr(cache, "is_available", None)
    if probe is not None:  # the Redis cache: a PING with its short socket timeouts
        return probe()
    value = secrets.token_hex(8)
    try:  # the database or memory cache: a real write and read
        cache.set("curso:ready", value, 30)
        return cache.get("curso:ready") == value
    except DatabaseError as error:
        logger.warning("Listo: la caché no responde: %s", error)
        return False


@never_cache
@require_safe
def ready(request):
    missing = []
    if not database_ready():
        missing.append("la base de datos no responde")
    if not cache_ready():
        missing.append("la caché no responde")
    if not missing:
        return HttpResponse("listo", content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        "no listo: " + "; ".join(missing), status=503, content_type="text/plain; charset=utf-8"
    )
    response["Retry-After"] = "10"
    return response


@require_safe
def live(request):
    """`/salud/`: the process answers; the stack without any page work."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
