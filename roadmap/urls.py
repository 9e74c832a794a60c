from django.urls import path, register_converter

from curso import health

from .catalog import views as catalog
from .cohorts import views as cohorts
from .learning import views as learning
from .learning.progress_page import my_progress


class IdConverter:
    """A database id: digits that fit a 64-bit integer (longer ones are a 404, not a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "roadmap"

urlpatterns = [
    path("", catalog.home, name="home"),
    path("secciones/<slug:section_slug>/", catalog.section_detail, name="section_detail"),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/",
        catalog.topic_detail,
        name="topic_detail",
    ),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/estado/",
        learning.topic_status,
        name="topic_status",
    ),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/completar-y-seguir/",
        learning.topic_complete_and_continue,
        name="topic_complete",
    ),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/nota/",
        learning.note_save,
        name="note_save",
    ),
    path("recursos/", catalog.resources, name="resources"),
    path("buscar/", catalog.search, name="search"),
    path("salud/", health.live, name="health"),
    path("mi-progreso/", my_progress, name="my_progress"),
    path("mis-notas/", learning.note_list, name="note_list"),
    path("mis-notas/<id:pk>/", learning.note_detail, name="note_detail"),
    path("mis-notas/<id:pk>/borrar/", learning.note_delete, name="note_delete"),
    path("mis-notas/deshacer/", learning.note_restore, name="note_restore"),
    path("cohortes/", cohorts.cohort_list, name="cohort_list"),
    path("cohortes/unirse/<slug:code>/", cohorts.cohort_join, name="cohort_join"),
    path("cohortes/<slug:slug>/", cohorts.cohort_dashboard, name="cohort_dashboard"),
    path("cohortes/<slug:slug>/exportar.csv", cohorts.cohort_csv, name="cohort_csv"),
    path("cohortes/<slug:slug>/ritmo/", cohorts.cohort_pacing, name="cohort_pacing"),
    path("cohortes/<slug:slug>/codigo/", cohorts.cohort_regenerate_code, name="cohort_code"),
    path("cohortes/<slug:slug>/salir/", cohorts.cohort_leave, name="cohort_leave"),
    path(
        "cohortes/<slug:slug>/aprendices/<id:user_id>/",
        cohorts.cohort_learner,
        name="cohort_learner",
    ),
    path(
        "cohortes/<slug:slug>/aprendices/<id:user_id>/quitar/",
        cohorts.cohort_remove_learner,
        name="cohort_remove_learner",
    ),
]
