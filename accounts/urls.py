from django.urls import path

from . import public_page, views

app_name = "accounts"

urlpatterns = [
    path("perfil/", views.profile, name="profile"),
    path("exportar/", views.export_page, name="export"),
    path("exportar/curso-datos.json", views.export_json, name="export_json"),
    path("exportar/curso-progreso.csv", views.export_csv, name="export_csv"),
    path("exportar/curso-notas.md", views.export_notes, name="export_notes"),
    path("eliminar/", views.delete_account, name="delete"),
    path("baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("perfil-publico/", public_page.settings_page, name="public_profile"),
    path("perfil-publico/publicar/", public_page.publish, name="public_profile_publish"),
    path("perfil-publico/despublicar/", public_page.unpublish, name="public_profile_unpublish"),
    path("perfil-publico/vista-previa/", public_page.preview, name="public_profile_preview"),
]
