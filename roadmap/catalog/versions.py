"""The content version: one token in the database, replaced by every change to the course.

This is the one invalidation channel. Pages are rendered once per content version
(roadmap/pages/) and every process reads the token from the database, so a change made anywhere
(a worker, the admin, `import_curso`, `loaddata`, a `shell`) reaches every server at once, with
no shared cache involved. The token is replaced inside the writing transaction: a page sees the
new content and the new token together, or neither.

`content_changed()` is called by the content models' signals (roadmap/signals.py: saves, deletes,
fixtures, migrations) and by their querysets' bulk writes (`ContentQuerySet`), which skip
signals. After `flush` the table is empty and the next read starts a new token.
"""

import secrets

from django.db import IntegrityError, connection, models, transaction

ROW = 1


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


def current_content_version() -> str:
    """Read on every page view: one indexed row, through a plain cursor (the ORM's query
    building costs more than the query itself here)."""
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    token = row[0] if row else None
    if token is None:
        try:
            with transaction.atomic():
                token = ContentVersion.objects.create(pk=ROW, token=_new_token()).token
        except IntegrityError:  # another request created it first
            token = ContentVersion.objects.get(pk=ROW).token
    return token


def content_changed() -> None:
    if not ContentVersion.objects.filter(pk=ROW).update(token=_new_token()):
        current_content_version()
