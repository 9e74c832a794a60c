from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Administración de curso"
admin.site.site_title = "curso"
admin.site.index_title = "Contenido, personas y cohortes"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("cuenta/", include("accounts.urls")),
    path("", include("roadmap.urls")),
]
