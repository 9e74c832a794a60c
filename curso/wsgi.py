"""WSGI entry point (gunicorn curso.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "curso.settings")

application = get_wsgi_application()
