"""Every change to the course replaces the content version (roadmap/catalog/versions.py).

The signals fire in whichever process writes: a worker, the admin, `import_curso`, `loaddata`
(its post_save has raw=True and is handled the same), a `shell`, and for every row a cascade
deletes. Bulk writes skip signals: `ContentQuerySet` handles them. Attaching references, videos
and notebooks to topics (the admin, an accepted proposal) changes the pages too: m2m_changed.
`flush` empties the version's table, and `migrate` may change content without signals:
post_migrate replaces it too.
"""

from django.apps import apps
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .catalog.versions import ContentVersion, content_changed
from .models import Course, Part, Reference, Resource, ResourceGroup, Section, Topic

CONTENT_MODELS = [Course, Part, Section, Topic, Reference, ResourceGroup, Resource]


def content_saved_or_deleted(sender, **kwargs):
    content_changed()


def attachments_changed(sender, action: str, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed()


def database_migrated(sender, using, **kwargs):
    if ContentVersion._meta.db_table in connections[using].introspection.table_names():
        content_changed()


def connect() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(
            content_saved_or_deleted, sender=model, dispatch_uid=f"content-{model.__name__}"
        )
        post_delete.connect(
            content_saved_or_deleted, sender=model, dispatch_uid=f"content-del-{model.__name__}"
        )
    for through in (Reference.topics.through, Resource.topics.through):
        m2m_changed.connect(
            attachments_changed, sender=through, dispatch_uid=f"content-m2m-{through.__name__}"
        )
    post_migrate.connect(
        database_migrated,
        sender=apps.get_app_config("roadmap"),
        dispatch_uid="content-post-migrate",
    )
