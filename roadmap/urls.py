from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("", views.home, name="home"),
    path("secciones/<slug:section_slug>/", views.section_detail, name="section_detail"),
    path(
        "secciones/<slug:section_slug>/<slug:topic_slug>/",
        views.topic_detail,
        name="topic_detail",
    ),
    path("recursos/", views.resources, name="resources"),
    path("buscar/", views.search, name="search"),
]
