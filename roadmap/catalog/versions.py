"""The content version: one token in the database, replaced by every change to the course.

This is the one invalidation channel. Pages are rendered once per content version
(roadmap/pages/) and every process reads the token from the database, so a change made anywhere
(a worker, the admin, `import_curso`, `loaddata`, a `shell`) reaches every server at once. The
token is replaced inside the writing transaction: a page sees the new content and the new token
together, or neither. With Redis as the shared cache and PostgreSQL, the token is also mirrored
in Redis (see `_mirror` and `current_content_version`); otherwise, or while Redis is down, the
database answers.

`content_changed()` is called by the content models' signals (roadmap/signals.py: saves, deletes,
fixtures, migrations) and by their querysets' bulk writes (`ContentQuerySet`), which skip
signals. After `flush` the table is empty and the next read starts a new token.
"""

import secrets

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, connection, models, transaction

ROW = 1
MIRROR_KEY = "curso:content-version"
MIRROR_SECONDS = 60


def _new_token() -> str:
    # Random, not a counter: a database restored from a backup must not match pages built later.
    return secrets.token_hex(12)


class ContentVersion(models.Model):
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "versión del contenido"
        verbose_name_plural = "versión del contenido"

    def __str__(self) -> str:
        return self.token


def _mirror():
    """Redis, when it is the shared cache and the database is a server: Redis then answers the
    version in one round trip instead of a query (measured: anonymous pages 0.39× → 0.53× of
    the bare hello-world on PostgreSQL).

    Not with SQLite: reading a row of an in-process database file is cheaper than a round trip
    to Redis (measured the other way round: 0.61× → 0.46×). Not with a per-process cache
    (development), which cannot see another process's change, nor with the database cache,
    which would cost the same query."""
    cache = caches["default"]
    if isinstance(cache, RedisCache) and connection.vendor != "sqlite":
        return cache
    return None


def _read_token() -> str:
    """One indexed row through a plain cursor (the ORM's query building costs more than the
    query itself here)."""
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    try:
        with transaction.atomic():
            return ContentVersion.objects.create(pk=ROW, token=_new_token()).token
    except IntegrityError:  # another request created it first
        return ContentVersion.objects.get(pk=ROW).token


def current_content_version() -> str:
    """Read on every page view: from the Redis mirror when there is one, else the database.

    The mirror is only ever filled with `add` (a reader never overwrites a newer token set by a
    writer) and replaced by writers once their transaction commits, so it never runs ahead of
    the content; it expires after MIRROR_SECONDS whatever happens."""
    mirror = _mirror()
    if mirror is not None:
        token = mirror.get(MIRROR_KEY)
        if token is not None:
            return token
    token = _read_token()
    if mirror is not None:
        mirror.add(MIRROR_KEY, token, MIRROR_SECONDS)
    return token


def content_changed() -> None:
    token = _new_token()
    if not ContentVersion.objects.filter(pk=ROW).update(token=token):
        token = _read_token()
    mirror = _mirror()
    if mirror is not None:
        transaction.on_commit(lambda: mirror.set(MIRROR_KEY, token, MIRROR_SECONDS))
