#!/usr/bin/env python
"""Benchmark (not a test): server time of the cohort dashboard and its CSV for 500 learners.

    .venv/bin/python bench/cohort_dashboard.py [--learners 500] [--runs 30]

Uses a scratch SQLite database in /tmp unless DATABASE_URL is set (then that database is
used and the demo cohort in it is replaced). Runs with DEBUG off. The dashboard is page 1 (50
learners, default sort) of the whole cohort; the CSV is the whole cohort. Target: dashboard
p95 < 60 ms (issue 10).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/curso-bench.sqlite3")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "curso.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x7Qp2Lm9Zr4Tv8Kc1Wd6Hs3Nb5Yg0Fj" * 2,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "locmem://bench",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from roadmap.cohorts.demo import create_demo_cohort  # noqa: E402
from roadmap.models import Topic  # noqa: E402

TARGET_MS = 60


def timed(client, url: str, runs: int) -> list[float]:
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def report(label: str, times: list[float]) -> float:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(
        f"{label:<22} mediana {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   "
        f"máx {ordered[-1]:7.1f} ms"
    )
    return p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if not Topic.objects.exists():
        call_command("loaddata", "curso", verbosity=0)
    start = time.perf_counter()
    demo = create_demo_cohort(learners=args.learners)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live DB
    print(
        f"Datos: {demo.learners} aprendices, {demo.progress_rows} estados, "
        f"{Topic.objects.published().count()} temas ({time.perf_counter() - start:.1f} s) "
        f"en {connection.vendor}"
    )

    client = Client()
    client.force_login(demo.instructor)
    url = demo.cohort.get_absolute_url()
    client.get(url)  # the first request also builds what depends on the content only
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"Consultas por tablero: {len(queries.captured_queries)}")
    p95 = report("Tablero de cohorte", timed(client, url, args.runs))
    report("CSV de la cohorte", timed(client, url + "exportar.csv", args.runs))
    verdict = "OK" if p95 < TARGET_MS else "POR ENCIMA DEL OBJETIVO"
    print(f"Objetivo: tablero p95 < {TARGET_MS} ms → {verdict}")
    return 0 if p95 < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
