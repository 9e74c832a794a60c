"""A bare Django hello-world: the baseline bench/load.py measures the project against.

    gunicorn bench.hello.wsgi --workers 2 --bind 127.0.0.1:8001   # from the project root

Two middleware, one URL, one view; no apps, no database, no templates. It never reads the
project's settings.
"""
