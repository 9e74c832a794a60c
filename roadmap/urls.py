from django.urls import path, register_converter

from . import views


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
    path("", views.home, name="home"),
    path("secciones/<slug:section_slug>/", views.section_detail, name="section_detail"),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/",
        views.topic_detail,
        name="topic_detail",
    ),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/estado/",
        views.topic_status,
        name="topic_status",
    ),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/nota/",
        views.note_save,
        name="note_save",
    ),
    path("recursos/", views.resources, name="resources"),
    path("buscar/", views.search, name="search"),
    path("salud/", views.health, name="health"),
    path("mi-progreso/", views.my_progress, name="my_progress"),
    path("mis-notas/", views.note_list, name="note_list"),
    path("mis-notas/<id:pk>/", views.note_detail, name="note_detail"),
    path("mis-notas/<id:pk>/borrar/", views.note_delete, name="note_delete"),
    path("cohortes/", views.cohort_list, name="cohort_list"),
    path("cohortes/unirse/<slug:code>/", views.cohort_join, name="cohort_join"),
    path("cohortes/<slug:slug>/", views.cohort_dashboard, name="cohort_dashboard"),
    path("cohortes/<slug:slug>/exportar.csv", views.cohort_csv, name="cohort_csv"),
    path("cohortes/<slug:slug>/ritmo/", views.cohort_pacing, name="cohort_pacing"),
    path("cohortes/<slug:slug>/codigo/", views.cohort_regenerate_code, name="cohort_code"),
    path("cohortes/<slug:slug>/salir/", views.cohort_leave, name="cohort_leave"),
    path(
        "cohortes/<slug:slug>/aprendices/<id:user_id>/",
        views.cohort_learner,
        name="cohort_learner",
    ),
    path(
        "cohortes/<slug:slug>/aprendices/<id:user_id>/quitar/",
        views.cohort_remove_learner,
        name="cohort_remove_learner",
    ),
]
