"""WSGI entry point of the hello-world baseline: gunicorn bench.hello.wsgi (from the project root).

The settings module is forced, not defaulted: the environment bench/load.py passes to the
project's gunicorn names curso.settings, and the baseline must never run with it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.hello.settings"

application = get_wsgi_application()
