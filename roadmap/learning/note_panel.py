"""The learner's note on a topic page, assembled like the page around it.

The panel has two shapes, with a note and without one. Each is rendered once per topic (and
address) with holes for the note's text, its rendered HTML, its date, its delete address and the
CSRF token; a request only fills them in. A rejected note (the form with its errors and the
learner's text) is rendered in full: it is rare, and nothing may be lost.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import localtime

from curso.prepared_queries import PreparedQuery
from roadmap.pages.assemble import STORE
from roadmap.pages.skeleton import Hole, render_skeleton
from roadmap.pages.visitor import page_csrf_token

from .forms import NoteForm
from .models import Note

TEMPLATE = "roadmap/partials/note_panel.html"
EDITED_FORMAT = r"j \d\e F \d\e Y, H:i"
# Read on every topic page of a signed-in learner: compiled once (curso/prepared_queries.py).
LEARNER_NOTE = PreparedQuery(
    lambda user_id, topic_id: Note.objects.filter(user_id=user_id, topic_id=topic_id), -1, -2
)


class _NoteStandIn:
    body_html = Hole("note_html")


class _NoteValues:
    def __init__(self, request, note: Note | None):
        self.request, self.note = request, note

    def csrf(self) -> str:
        return page_csrf_token(self.request)

    def note_html(self) -> str:
        return self.note.body_html  # sanitised when the note was written

    def note_body(self) -> str:
        return escape(self.note.body)

    def note_edited(self) -> str:
        return escape(date_format(localtime(self.note.updated_at), EDITED_FORMAT))

    def note_delete_url(self) -> str:
        return reverse("roadmap:note_delete", args=[self.note.pk])


def _context(topic, path: str, note, note_form, note_edited, note_delete_url) -> dict:
    return {
        "topic": topic,
        "section": topic.section,
        "note": note,
        "note_form": note_form,
        "note_edited": note_edited,
        "note_delete_url": note_delete_url,
        "path": path,
    }


def _skeleton(topic, has_note: bool, path: str):
    if not has_note:
        return render_skeleton(TEMPLATE, _context(topic, path, None, NoteForm(), None, None))
    form = NoteForm(initial={"body": Hole("note_body")})
    stand_ins = (_NoteStandIn(), form, Hole("note_edited"), Hole("note_delete_url"))
    return render_skeleton(TEMPLATE, _context(topic, path, *stand_ins))


def note_panel_html(
    request, topic, rejected: NoteForm | None = None, path: str | None = None
) -> str:
    """The panel for the signed-in learner: one query (their note). path: the topic page's
    address when the request's is another (the note's POST)."""
    path = path or request.path
    found = LEARNER_NOTE.instances(request.user.pk, topic.pk)
    note = found[0] if found else None
    values = _NoteValues(request, note)
    if rejected is not None:
        edited, delete_url = (
            (values.note_edited(), values.note_delete_url()) if note else (None,) * 2
        )
        context = _context(topic, path, note, rejected, edited, delete_url)
        return render_to_string(TEMPLATE, {**context, "csrf_token": values.csrf()})
    key = ("note_panel", topic.pk, topic.section.slug, topic.slug, note is not None, path)
    skeleton = STORE.get_or_build(key, lambda: _skeleton(topic, note is not None, path))
    return skeleton.fill(values)
