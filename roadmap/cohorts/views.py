import csv
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from curso.spreadsheets import spreadsheet_safe
from roadmap.catalog.models import Section, Topic
from roadmap.learning.activity import activity_for
from roadmap.learning.models import TopicProgress
from roadmap.learning.selectors import course_tallies

from .columns import section_columns
from .content import CELL_SLOTS
from .forms import CohortListForm, CohortViewForm, PacingForm
from .matrix_html import current_matrix_frame, rows_html
from .models import Cohort, CohortMembership, new_join_code
from .nav import remember_sees_cohorts
from .selectors import behind_sections, cohort_matrix, cohort_summaries

LEARNERS_PER_PAGE = CELL_SLOTS  # 50: one compiled query reads a page's cells
COHORTS_PER_PAGE = 25
CSV_ROWS_PER_CHUNK = 100


def get_cohort_for_instructor(request, slug: str) -> Cohort:
    """A cohort the user teaches (any cohort for a superuser); 404 for everything else."""
    return get_object_or_404(Cohort.objects.taught_by(request.user), slug=slug)


def get_cohort_learner(cohort: Cohort, user_id: int) -> CohortMembership:
    return get_object_or_404(
        CohortMembership.objects.select_related("user"),
        cohort=cohort,
        user_id=user_id,
        role=CohortMembership.Role.LEARNER,
    )


@require_safe
@login_required
def cohort_list(request):
    """The cohorts the user teaches (every cohort for a superuser), a page at a time: what a page
    costs depends on its cohorts, not on how many cohorts or learners the site has."""
    form = CohortListForm(request.GET)
    form.is_valid()  # a bad page number shows the first page, with a message
    cohorts = Cohort.objects.taught_by(request.user).order_by("-start_date", "name", "pk")
    paginator = Paginator(cohorts, COHORTS_PER_PAGE)
    if not request.user.is_superuser:
        remember_sees_cohorts(request, paginator.count > 0)  # the header's item follows
        if not paginator.count:
            raise Http404("No dictás ninguna cohorte.")
    try:
        page = paginator.page(form.cleaned_data.get("pagina") or 1)
    except EmptyPage:
        raise Http404("Esta página de cohortes no existe.") from None
    context = {
        "form": form,
        "page": page,
        "page_query": "?pagina=",
        "summaries": cohort_summaries(page.object_list),
    }
    return render(request, "roadmap/cohort_list.html", context, status=400 if form.errors else 200)


def _sorted_rows(rows, order: str):
    """The whole cohort in the chosen order (the page is sliced afterwards)."""
    if order == "progreso":
        return sorted(rows, key=lambda r: (-r.overall.percent, r.name.casefold()))
    if order == "actividad":
        return sorted(
            rows,
            key=lambda r: (
                r.last_activity is None,
                -(r.last_activity.timestamp() if r.last_activity else 0),
                r.name.casefold(),
            ),
        )
    return sorted(rows, key=lambda r: r.name.casefold())


def _filtered_rows(rows, filter_: str):
    if filter_ == "inactivos":
        return [row for row in rows if row.inactive]
    if filter_ == "atrasados":
        return [row for row in rows if row.behind_on]
    return rows


@require_safe
@login_required
def cohort_dashboard(request, slug: str):
    cohort = get_cohort_for_instructor(request, slug)
    form = CohortViewForm(request.GET)
    form.is_valid()  # a bad parameter falls back to its default; the others still apply
    view = {"orden": "", "filtro": "", "pagina": None} | form.cleaned_data
    order, filter_ = view["orden"] or "nombre", view["filtro"]
    frame = current_matrix_frame()
    matrix = cohort_matrix(cohort, content=frame.content)
    rows = _sorted_rows(_filtered_rows(matrix.rows, filter_), order)
    paginator = Paginator(rows, LEARNERS_PER_PAGE)
    try:
        page = paginator.page(view["pagina"] or 1)
    except EmptyPage:
        raise Http404("Esta página del tablero no existe.") from None
    query = f"?orden={order}" + (f"&filtro={filter_}" if filter_ else "")
    context = {
        "cohort": cohort,
        "matrix": matrix,
        "page": page,
        "frame": frame,
        "rows_html": rows_html(frame, cohort, matrix.fill_cells(page.object_list)),
        "form": form,
        "order": order,
        "filter": filter_,
        "page_query": query + "&pagina=",
        "join_url": request.build_absolute_uri(cohort.get_join_url()),
    }
    return render(
        request, "roadmap/cohort_dashboard.html", context, status=400 if form.errors else 200
    )


class _Echo:
    """csv.writer writes into it and gets the line back, for streaming."""

    def write(self, line: str) -> str:
        return line


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _csv_lines(matrix, rows):
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    header = (
        ["aprendiz", "email"]
        + [f"{section.title} (%)" for section in matrix.sections]
        + ["total (%)", "completados", "en progreso", "omitidos", "última actividad", "ritmo"]
    )
    rows = (
        [row.name, row.email]
        + [cell.percent for cell in row.cells]
        + [
            row.overall.percent,
            row.overall.done,
            row.overall.in_progress,
            row.overall.skipped,
            _local(row.last_activity),
            row.pacing_label,
        ]
        for row in rows
    )
    yield "\ufeff"  # BOM: Excel opens UTF-8 correctly
    # Every cell, the header's section titles included, is neutralised against formulas.
    chunk = []
    for cells in itertools.chain([header], rows):
        chunk.append(writer.writerow([spreadsheet_safe(cell) for cell in cells]))
        if len(chunk) == CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


@require_safe
@login_required
def cohort_csv(request, slug: str):
    """The whole cohort, streamed: the rows are counted up front (a fixed number of queries), the
    text is written a chunk at a time."""
    cohort = get_cohort_for_instructor(request, slug)
    matrix = cohort_matrix(cohort, content=current_matrix_frame().content)
    rows = matrix.fill_cells(sorted(matrix.rows, key=lambda r: r.name.casefold()))
    response = StreamingHttpResponse(
        _csv_lines(matrix, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="cohorte-{cohort.slug}.csv"'
    return response


@require_safe
@login_required
def cohort_learner(request, slug: str, user_id: int):
    cohort = get_cohort_for_instructor(request, slug)
    membership = get_cohort_learner(cohort, user_id)
    learner = membership.user
    tallies = course_tallies(learner)
    today = timezone.localdate()
    passed = [t for t in cohort.targets.select_related("section") if t.due_date < today]
    progress = {
        p.topic_id: p
        for p in TopicProgress.objects.filter(user=learner, topic__in=Topic.objects.published())
    }
    sections = list(
        Section.objects.published()
        .in_course_order()
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.filter(is_published=True)))
        .select_related("part")
    )
    topic_groups = [
        (
            column,
            tallies.for_section(column.section.pk),
            [(topic, progress.get(topic.pk)) for topic in column.section.topics.all()],
        )
        for group in section_columns(sections)
        for column in group.columns
    ]
    context = {
        "cohort": cohort,
        "learner": learner,
        "membership": membership,
        "topic_groups": topic_groups,
        "activity": activity_for(learner),
        "overall": tallies.overall,
        "behind_on": behind_sections(tallies.sections, passed),
    }
    return render(request, "roadmap/cohort_learner.html", context)


@require_POST
@login_required
def cohort_regenerate_code(request, slug: str):
    cohort = get_cohort_for_instructor(request, slug)
    cohort.join_code = new_join_code()
    cohort.save(update_fields=["join_code"])
    messages.success(request, "Nuevo enlace de invitación: el anterior ya no funciona.")
    return redirect(cohort.get_absolute_url() + "#invitacion")


@require_POST
@login_required
def cohort_remove_learner(request, slug: str, user_id: int):
    cohort = get_cohort_for_instructor(request, slug)
    membership = get_cohort_learner(cohort, user_id)
    membership.delete()
    messages.success(
        request, f"{membership.user} ya no está en la cohorte (su progreso personal se conserva)."
    )
    return redirect(cohort.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cohort_pacing(request, slug: str):
    cohort = get_cohort_for_instructor(request, slug)
    sections = list(Section.objects.published().in_course_order().select_related("part"))
    targets = {t.section_id: t for t in cohort.targets.all()}
    form = PacingForm(
        request.POST if request.method == "POST" else None, sections=sections, targets=targets
    )
    if request.method == "POST" and form.is_valid():
        form.save(cohort)
        messages.success(request, "Calendario de la cohorte guardado.")
        return redirect(cohort.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "roadmap/cohort_pacing.html", {"cohort": cohort, "form": form}, status=status
    )


def _join_problem(cohort: Cohort | None) -> str:
    if cohort is None:
        return (
            "Este enlace de invitación no es válido: puede estar mal copiado o haber sido "
            "reemplazado. Pedile uno nuevo a quien dicta la cohorte."
        )
    if not cohort.is_active:
        return f"La cohorte «{cohort.name}» no está activa: no admite nuevas personas."
    if cohort.has_ended():
        return (
            f"La cohorte «{cohort.name}» terminó el {cohort.end_date:%d/%m/%Y}: "
            "ya no admite nuevas personas."
        )
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def cohort_join(request, code: str):
    cohort = Cohort.objects.filter(join_code=code).first()
    problem = _join_problem(cohort)
    if problem:
        status = 404 if cohort is None else 410
        return render(request, "roadmap/cohort_join.html", {"problem": problem}, status=status)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = CohortMembership.objects.filter(cohort=cohort, user=request.user).first()
    if request.method == "POST":
        if membership is None:
            CohortMembership.objects.get_or_create(
                cohort=cohort, user=request.user, defaults={"role": CohortMembership.Role.LEARNER}
            )
            messages.success(request, f"¡Bienvenido/a a «{cohort.name}»!")
        else:
            messages.info(request, f"Ya sos parte de «{cohort.name}».")
        return redirect("roadmap:my_progress")
    return render(request, "roadmap/cohort_join.html", {"cohort": cohort, "membership": membership})


@require_POST
@login_required
def cohort_leave(request, slug: str):
    membership = get_object_or_404(
        CohortMembership.objects.select_related("cohort"),
        cohort__slug=slug,
        user=request.user,
        role=CohortMembership.Role.LEARNER,
    )
    membership.delete()
    messages.success(
        request, f"Saliste de «{membership.cohort.name}». Tu progreso sigue siendo tuyo."
    )
    return redirect("roadmap:my_progress")
