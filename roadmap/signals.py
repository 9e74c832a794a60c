"""Keep the page cache honest: content edits and learners' writes bump its version numbers.

They fire in whichever process writes: a worker, the admin, `import_curso`, `loaddata` (its
post_save has raw=True and is handled the same), a `shell`. `flush` deletes with SQL and sends no
delete signals, but it sends post_migrate, which drops every cached page (as `migrate` does).
Bulk writes that skip signals bump the version in the querysets (roadmap/models/).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save

from .models import (
    CohortMembership,
    Course,
    Note,
    Part,
    Reference,
    Resource,
    ResourceGroup,
    Section,
    Topic,
    TopicProgress,
)
from .page_cache import bump_content_version, bump_user_version

CONTENT_MODELS = [Course, Part, Section, Topic, Reference, ResourceGroup, Resource]
LEARNER_MODELS = [TopicProgress, Note, CohortMembership]


def content_changed(sender, **kwargs):
    bump_content_version()


def database_reset(sender, using, **kwargs):
    """After `flush` or `migrate`: every page depends on the content version."""
    cache = caches["default"]
    tables = connections[using].introspection.table_names
    if isinstance(cache, DatabaseCache) and cache._table not in tables():
        return  # a new database before `createcachetable`: no cache, so no cached page
    bump_content_version()


def learner_data_changed(sender, instance, **kwargs):
    bump_user_version(instance.user_id)


def user_changed(sender, instance, **kwargs):
    bump_user_version(instance.pk)


def connect() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(
            content_changed, sender=model, dispatch_uid=f"page-cache-{model.__name__}"
        )
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"page-cache-del-{model.__name__}"
        )
    for model in LEARNER_MODELS:
        post_save.connect(
            learner_data_changed, sender=model, dispatch_uid=f"page-cache-{model.__name__}"
        )
        post_delete.connect(
            learner_data_changed, sender=model, dispatch_uid=f"page-cache-del-{model.__name__}"
        )
    post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="page-cache-user")
    post_delete.connect(user_changed, sender=get_user_model(), dispatch_uid="page-cache-del-user")
    post_migrate.connect(
        database_reset,
        sender=apps.get_app_config("roadmap"),
        dispatch_uid="page-cache-post-migrate",
    )
