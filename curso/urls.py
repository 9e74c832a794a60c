from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import public_page
from accounts import views as accounts_views
from curso import health, site_files

admin.site.site_header = "Administración de curso"
admin.site.site_title = "curso"
admin.site.index_title = "Contenido, personas y cohortes"
# The admin signs in through allauth's login: same failed-login limits, same lockout.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    # allauth's email page, with the change taking effect only once verified (accounts.views).
    path("accounts/email/", accounts_views.email),
    path("accounts/", include("allauth.urls")),
    path("cuenta/", include("accounts.urls")),
    # A learner's opt-in public progress page (404 unless they published it).
    path("aprendices/<slug:handle>/", public_page.public_page, name="public_page"),
    # Readiness (database and cache); `/salud/` (roadmap) is the cheap liveness check.
    path("salud/listo/", health.ready, name="health_ready"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path("", include("roadmap.urls")),
]
