"""A learner's public progress page (`/aprendices/<handle>/`), its preview and its settings.

What the page shows, and nothing else: the name the learner chose to show (the handle unless
they ticked «mostrar tu nombre visible»), each published topic's status by roadmap and
section, and the totals counted by the one rule (`roadmap.learning.selectors`). Never their
email, notes, cohorts, time zone or history.

A page that is not published and a handle nobody has give the same 404. The page is never kept
by any cache (`never_cache`): withdrawing it, changing its name or a status shows on the next
view. Per view it costs three queries however big the course or the progress: the profile with
its user, the content version, the learner's statuses. The course's outline (titles and
addresses) is built once per content version and kept with the page skeletons.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from roadmap.catalog.models import Part
from roadmap.catalog.versions import current_content_version
from roadmap.learning.models import Status
from roadmap.learning.selectors import learner_statuses, tallies_from_statuses
from roadmap.pages.assemble import STORE, current_structure

from .forms import PublicProfileForm
from .models import PublicProfile

STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True, slots=True)
class OutlineTopic:
    id: int
    title: str
    emoji: str
    url: str


@dataclass(frozen=True, slots=True)
class OutlineSection:
    id: int
    title: str
    emoji: str
    url: str
    topics: tuple[OutlineTopic, ...]


@dataclass(frozen=True, slots=True)
class OutlinePart:
    id: int
    slug: str
    title: str
    emoji: str
    sections: tuple[OutlineSection, ...]


def course_outline() -> tuple[OutlinePart, ...]:
    """The published roadmaps, sections and topics with their addresses (three queries)."""
    return tuple(
        OutlinePart(
            part.pk,
            part.slug,
            part.title,
            part.emoji,
            tuple(
                OutlineSection(
                    section.pk,
                    section.title,
                    section.emoji,
                    section.get_absolute_url(),
                    tuple(
                        OutlineTopic(
                            topic.pk,
                            topic.title,
                            topic.emoji,
                            reverse("roadmap:topic_detail", args=[section.slug, topic.slug]),
                        )
                        for topic in section.topics.all()
                    ),
                )
                for section in part.sections.all()
            ),
        )
        for part in Part.objects.for_roadmap()
    )


def progress_context(profile: PublicProfile) -> dict:
    """The page's context: the outline with the learner's statuses and tallies."""
    version = current_content_version()
    outline = STORE.get_or_build((version, "public-outline"), course_outline)
    statuses = learner_statuses(profile.user)
    tallies = tallies_from_statuses(current_structure(version), statuses)

    def topic_row(topic: OutlineTopic) -> dict:
        status = statuses.get(topic.id, Status.PENDING)
        if status not in STATUS_LABELS:
            status = Status.PENDING
        return {"topic": topic, "status": status, "label": STATUS_LABELS[status]}

    parts = [
        {
            "part": part,
            "tally": tallies.for_part(part.id),
            "sections": [
                {
                    "section": section,
                    "tally": tallies.for_section(section.id),
                    "topics": [topic_row(topic) for topic in section.topics],
                }
                for section in part.sections
            ],
        }
        for part in outline
    ]
    # Only what the page may show: never the profile or its user (email, time zone…).
    return {
        "published": profile.is_published,
        "name": profile.shown_name,
        "overall": tallies.overall,
        "parts": parts,
    }


def _render_page(request, profile: PublicProfile, *, preview: bool):
    context = progress_context(profile)
    context["preview"] = preview
    context["noindex"] = profile.noindex or preview
    response = render(request, "accounts/public_page.html", context)
    if context["noindex"]:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@never_cache
def public_page(request, handle: str):
    """The published page; the same 404 for a page that is not published and an unknown name."""
    profile = (
        PublicProfile.objects.select_related("user")
        .filter(handle=handle, is_published=True, user__is_active=True)
        .first()
    )
    if profile is None:
        raise Http404("No hay una página pública con ese nombre.")
    return _render_page(request, profile, preview=False)


@require_safe
@never_cache
@login_required
def preview(request):
    """Exactly what the public sees (or will see), for the owner only, published or not."""
    profile = PublicProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.info(request, "Elegí un nombre para tu página y después mirá la vista previa.")
        return redirect("accounts:public_profile")
    profile.user = request.user  # the same row: no second query for it
    return _render_page(request, profile, preview=True)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def settings_page(request):
    profile = PublicProfile.objects.filter(user=request.user).first()
    instance = profile or PublicProfile(user=request.user)
    form = PublicProfileForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
        except IntegrityError:  # someone took the name between the check and the save
            taken = PublicProfile._meta.get_field("handle").error_messages["unique"]
            form.add_error("handle", taken)
        else:
            if saved.is_published:
                text = f"Guardamos los cambios: tu página está en {saved.get_absolute_url()}."
            else:
                text = "Guardamos los cambios. Tu página todavía no está publicada."
            messages.success(request, text)
            return redirect("accounts:public_profile")
    context = {"form": form, "profile": profile}
    return render(
        request, "accounts/public_profile.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def publish(request):
    updated = PublicProfile.objects.filter(user=request.user).update(
        is_published=True, updated_at=timezone.now()
    )
    if not updated:
        messages.error(request, "Primero elegí un nombre para tu página y guardalo.")
    else:
        messages.success(
            request, "Publicaste tu página: cualquiera que tenga el enlace la puede ver."
        )
    return redirect("accounts:public_profile")


@require_POST
@login_required
def unpublish(request):
    PublicProfile.objects.filter(user=request.user).update(
        is_published=False, updated_at=timezone.now()
    )
    messages.success(
        request, "Dejaste de publicar tu página: su enlace ya da «no encontrada» a quien lo abra."
    )
    return redirect("accounts:public_profile")
