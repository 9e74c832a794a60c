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

from roadmap.pages.assemble import STORE
from roadmap.pages.skeleton import Hole, render_skeleton
from roadmap.pages.visitor import page_csrf_token

from .forms import NoteForm
from .models import Note

TEMPLATE = "roadmap/partials/note_panel.html"
EDITED_FORMAT = r"j \d\e F \d\e Y, H:i"


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


def _skeleton(topic, has_note: bool, path: str):
    context = {
        "topic": topic,
        "section": topic.section,
        "note": _NoteStandIn() if has_note else None,
        "note_form": NoteForm(initial={"body": Hole("note_body")}) if has_note else NoteForm(),
        "note_edited": Hole("note_edited"),
        "note_delete_url": Hole("note_delete_url"),
        "path": path,
    }
    return render_skeleton(TEMPLATE, context)


def note_panel_html(
    request, topic, rejected: NoteForm | None = None, path: str | None = None
) -> str:
    """The panel for the signed-in learner: one query (their note). path: the topic page's
    address when the request's is another (the note's POST)."""
    path = path or request.path
    note = Note.objects.filter(user=request.user, topic_id=topic.pk).first()
    if rejected is not None:
        context = {
            "topic": topic,
            "section": topic.section,
            "note": note,
            "note_form": rejected,
            "note_edited": note and date_format(localtime(note.updated_at), EDITED_FORMAT),
            "note_delete_url": note and reverse("roadmap:note_delete", args=[note.pk]),
            "csrf_token": page_csrf_token(request),
            "path": path,
        }
        return render_to_string(TEMPLATE, context)
    key = ("note_panel", topic.pk, topic.section.slug, topic.slug, note is not None, path)
    skeleton = STORE.get_or_build(key, lambda: _skeleton(topic, note is not None, path))
    return skeleton.fill(_NoteValues(request, note))
