"""Writes that touch several models."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from roadmap.catalog.models import Topic

from .models import Note, ProgressEvent, Status, TopicProgress
from .rollup import count_change
from .summary import count_status_change


def progress_set_status(*, user, topic: Topic, status: str) -> TopicProgress:
    """Set `user`'s status on `topic`, keeping one row per (user, topic) under concurrency.

    The row is locked while it changes (SELECT ... FOR UPDATE on PostgreSQL); a concurrent first
    write that loses the insert race is resolved by get_or_create re-reading the winner's row.
    The change is recorded three times in the same transaction: as an event, in the learner's
    daily rollup and in their running totals (atomic upserts, also when two topics change at
    once).
    """
    if status not in Status.values:
        raise ValueError(f"Estado desconocido: {status!r}")
    with transaction.atomic():
        progress, _created = TopicProgress.objects.select_for_update().get_or_create(
            user=user, topic=topic
        )
        now = timezone.now()  # after the lock, so concurrent writers' times are in commit order
        if progress.status == status:
            return progress
        old_status = progress.status
        progress.status = status
        progress.updated_at = now
        if status in (Status.IN_PROGRESS, Status.DONE) and progress.started_at is None:
            progress.started_at = now
        progress.completed_at = now if status == Status.DONE else None
        progress.save(update_fields=["status", "updated_at", "started_at", "completed_at"])
        ProgressEvent.objects.create(user=user, topic=topic, status=status, created_at=now)
        count_change(user=user, when=now)
        count_status_change(user_id=user.pk, old=old_status, new=status, when=now)
    return progress


def note_update_or_create(*, user, topic: Topic, rendered: Note) -> Note:
    """Store `rendered` (a Note whose body NoteForm already rendered) as `user`'s note on `topic`.

    Nothing is rendered here: on SQLite the write lock is held only for the row itself. A
    concurrent first save that loses the insert race updates the winner's row instead.
    """
    for attempt in range(2):
        try:
            with transaction.atomic():
                note = Note.objects.select_for_update().filter(user=user, topic=topic).first()
                if note is None:
                    note = Note(user=user, topic=topic)
                note.body = rendered.body
                note.set_rendered_html("body", rendered.body_html)
                note.excerpt_html = rendered.excerpt_html
                note.updated_at = timezone.now()
                note.save()
                return note
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")
