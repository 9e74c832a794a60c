from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from curso.http import login_needed, redirect_to_next, safe_next_url, wants_json
from roadmap.catalog.models import Topic
from roadmap.catalog.titles import title_text
from roadmap.catalog.views import topic_page
from roadmap.pages.assemble import current_structure, published_topic

from .forms import NoteForm, NoteSearchForm, StatusForm
from .models import Note, Status
from .note_undo import UNDO_MINUTES, UNDO_TAG, keep_for_undo, restore_deleted_note
from .selectors import course_tallies, learner_statuses, next_unfinished_topic
from .services import note_update_or_create, progress_set_status

RECENT_LIMIT = 10


def _published_topic(section_slug: str, topic_slug: str) -> Topic:
    topic = published_topic(section_slug, topic_slug)
    if topic is None:
        raise Http404("No existe ese tema.")
    return topic


PREVIEW = "vista_previa"  # the name of the note form's preview button


@require_POST
def topic_status(request, section_slug: str, topic_slug: str):
    topic_url = reverse("roadmap:topic_detail", args=[section_slug, topic_slug])
    if not request.user.is_authenticated:
        return login_needed(request, topic_url)
    topic = _published_topic(section_slug, topic_slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        error = form.errors["status"][0]
        if wants_json(request):
            return JsonResponse({"error": error}, status=400)
        return render(request, "400.html", {"message": error}, status=400)

    progress = progress_set_status(
        user=request.user, topic=topic, status=form.cleaned_data["status"]
    )
    message = f"«{title_text(topic.title)}»: {progress.get_status_display()}."
    if wants_json(request):
        tallies = course_tallies(request.user, current_structure())
        section_id, part_id = topic.section_id, topic.section.part_id
        return JsonResponse(
            {
                "topic": topic.pk,
                "status": progress.status,
                "status_label": progress.get_status_display(),
                "message": message,
                "tallies": {
                    f"section-{section_id}": tallies.for_section(section_id).as_dict(),
                    f"part-{part_id}": tallies.for_part(part_id).as_dict(),
                    "overall": tallies.overall.as_dict(),
                },
            }
        )
    messages.success(request, message)
    fallback = f"{topic.section.get_absolute_url()}#{topic.slug}"
    return redirect_to_next(request, fallback)


@require_POST
def topic_complete_and_continue(request, section_slug: str, topic_slug: str):
    """«Completar y seguir →»: mark the topic Completado (through the status service, like the
    buttons) and open the next topic left to do in course order, wrapping round to the start;
    with nothing left, Mi progreso congratulates. Takes no `next`: where to go is the rule's."""
    topic_url = reverse("roadmap:topic_detail", args=[section_slug, topic_slug])
    if not request.user.is_authenticated:
        return login_needed(request, topic_url)
    topic = _published_topic(section_slug, topic_slug)
    progress_set_status(user=request.user, topic=topic, status=Status.DONE)
    next_id = next_unfinished_topic(
        current_structure(), learner_statuses(request.user), after=topic.pk
    )
    target = (
        Topic.objects.published().select_related("section").filter(pk=next_id).first()
        if next_id is not None
        else None
    )
    if target is None:
        messages.success(
            request,
            f"«{topic.title}»: Completado. ¡Terminaste el curso: no te queda ningún tema "
            "pendiente! 🎉",
        )
        return redirect("roadmap:my_progress")
    messages.success(request, f"«{topic.title}»: Completado. Seguís con «{target.title}».")
    return redirect(target.get_absolute_url())


NOTES_PER_PAGE = 100


def _get_note_for_user(request, pk: int) -> Note:
    """The signed-in learner's own note on a published topic; 404 for anything else."""
    return get_object_or_404(
        Note.objects.select_related("topic__section").filter(topic__in=Topic.objects.published()),
        pk=pk,
        user=request.user,
    )


@require_POST
def note_save(request, section_slug: str, topic_slug: str):
    topic_url = reverse("roadmap:topic_detail", args=[section_slug, topic_slug])
    if not request.user.is_authenticated:
        return login_needed(request, topic_url)
    topic = _published_topic(section_slug, topic_slug)
    existing = Note.objects.filter(user=request.user, topic=topic).first()
    form = NoteForm(request.POST, instance=existing)
    valid = form.is_valid()  # renders the text, under the renderer's time limit
    if PREVIEW in request.POST:
        return note_preview(request, form, valid, section_slug, topic_slug, topic_url)
    if not valid:
        # Show the page again with the learner's text in the form: nothing is lost.
        return topic_page(
            request, section_slug, topic_slug, note_form=form, status=400, path=topic_url
        )
    note_update_or_create(user=request.user, topic=topic, rendered=form.instance)
    messages.success(request, "Nota guardada.")
    return redirect(f"{topic_url}#nota")


def note_preview(request, form, valid: bool, section_slug, topic_slug, topic_url):
    """ "Vista previa": the note rendered as it would be saved; nothing is stored."""
    error = None if valid else form.errors["body"][0]
    if wants_json(request):
        if error:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse({"html": form.instance.body_html})
    form.preview_html = form.instance.body_html if valid else None
    return topic_page(
        request,
        section_slug,
        topic_slug,
        note_form=form,
        status=200 if valid else 400,
        path=topic_url,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def note_delete(request, pk: int):
    """GET: a page that asks first (the dialog does it with JavaScript); POST: delete, with a
    way back for a few minutes."""
    note = _get_note_for_user(request, pk)
    topic_url = note.topic.get_absolute_url()
    if request.method != "POST":
        back = safe_next_url(request, topic_url)
        return render(request, "roadmap/note_delete.html", {"note": note, "back": back})
    keep_for_undo(request, note)
    note.delete()
    messages.success(
        request,
        f"Borraste tu nota sobre «{title_text(note.topic.title)}». Podés deshacerlo durante "
        f"{UNDO_MINUTES} minutos.",
        extra_tags=UNDO_TAG,
    )
    return redirect_to_next(request, topic_url)


@require_POST
@login_required
def note_restore(request):
    """Bring back the note deleted last (kept in the learner's own session for a few minutes)."""
    outcome = restore_deleted_note(request)
    level = messages.SUCCESS if outcome.restored else messages.ERROR
    messages.add_message(request, level, outcome.message)
    if outcome.topic is not None:
        return redirect(f"{outcome.topic.get_absolute_url()}#nota")
    return redirect("roadmap:note_list")


@require_safe
@login_required
def note_detail(request, pk: int):
    note = _get_note_for_user(request, pk)
    return render(request, "roadmap/note_detail.html", {"note": note})


@require_safe
@login_required
def note_list(request):
    form = NoteSearchForm(request.GET)
    notes = (
        Note.objects.filter(user=request.user, topic__in=Topic.objects.published())
        .select_related("topic__section")
        .order_by("-updated_at", "-pk")
    )
    words = form.cleaned_data["q"] if form.is_valid() else []
    for word in words:
        notes = notes.filter(Q(search_text__contains=word) | Q(topic__search_text__contains=word))
    context = {
        "form": form,
        "query": request.GET.get("q", "")[:200],
        "notes": list(notes[:NOTES_PER_PAGE]),
        "searching": bool(words),
    }
    return render(
        request, "roadmap/note_list.html", context, status=200 if form.is_valid() else 400
    )
