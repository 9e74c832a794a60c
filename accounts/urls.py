from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("perfil/", views.profile, name="profile"),
    path("exportar/", views.export_page, name="export"),
    path("exportar/curso-datos.json", views.export_json, name="export_json"),
    path("exportar/curso-progreso.csv", views.export_csv, name="export_csv"),
    path("exportar/curso-notas.md", views.export_notes, name="export_notes"),
    path("eliminar/", views.delete_account, name="delete"),
    path("baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
