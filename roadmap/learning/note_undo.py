"""Undo for a deleted note: its text waits in the shared cache, under the learner's id, for a few
minutes, then the cache drops it (Redis expires it; nothing is kept in the database or the
session). Only the note deleted last can come back."""

from typing import NamedTuple

from django.core.cache import cache

from roadmap.catalog.models import Topic
from roadmap.catalog.titles import title_text

from .forms import NoteForm
from .models import Note
from .services import note_update_or_create

UNDO_MINUTES = 10
UNDO_TAG = "deshacer-nota"  # marks the message that carries the «Deshacer» button
NOTHING_TO_RESTORE = (
    f"No hay una nota borrada para recuperar: pasaron más de {UNDO_MINUTES} minutos o ya la "
    "recuperaste."
)


class Restore(NamedTuple):
    restored: bool
    message: str
    topic: Topic | None


def _key(user) -> str:
    return f"nota-borrada:{user.pk}"


def keep_for_undo(request, note: Note) -> None:
    cache.set(_key(request.user), {"topic": note.topic_id, "body": note.body}, UNDO_MINUTES * 60)


def restore_deleted_note(request) -> Restore:
    """Write the kept text back as the learner's note, unless they wrote a new one since."""
    kept = cache.get(_key(request.user))
    if not isinstance(kept, dict):
        return Restore(False, NOTHING_TO_RESTORE, None)
    topic = Topic.objects.published().select_related("section").filter(pk=kept["topic"]).first()
    if topic is None:
        cache.delete(_key(request.user))
        return Restore(False, "El tema de esa nota ya no está publicado.", None)
    if Note.objects.filter(user=request.user, topic=topic).exists():
        return Restore(
            False,
            f"Ya escribiste otra nota sobre «{title_text(topic.title)}» y no la vamos a "
            "pisar. Si querés recuperar la borrada, borrá primero la nueva.",
            topic,
        )
    form = NoteForm(data={"body": kept["body"]})
    if not form.is_valid():  # e.g. the renderer is down: the text stays kept, try again later
        return Restore(False, form.errors["body"][0], topic)
    note_update_or_create(user=request.user, topic=topic, rendered=form.instance)
    cache.delete(_key(request.user))
    return Restore(True, f"Recuperaste tu nota sobre «{title_text(topic.title)}».", topic)
