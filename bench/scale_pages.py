"""The measurements of the scale benchmark (bench/scale.py) on one database, in this process.

Runs where Django is configured for that database (DEBUG off). Every page is requested with
django.test.Client as the user who would see it (force_login), its body read to the last byte;
the login is a real POST to allauth's form.
"""

import json
import math
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from roadmap.models import Cohort, Note, Topic

from .scale_data import MARKER_TABLE, table_sizes

WARM_UP = 3
LOGIN_URL = "/accounts/login/"
LOGINS = 10  # timed logins (one more to warm up): each hashes a password, ~1 s
SQL_SHOWN = 3000  # characters of a slow query's SQL in the report
PG_SETTINGS = ["shared_buffers", "work_mem", "effective_cache_size", "random_page_cost"]
# Searches that must match something; other admins search a word of their first row.
SEARCH_TERMS = {"accounts.user": "aprendiz12", "roadmap.cohort": "aprendiz12"}

SAME = {"kind": "same"}
ADMIN_TARGET = {"kind": "p95", "ms": 200}


@dataclass
class Page:
    key: str
    label: str
    url: str
    role: str  # which signed-in client requests it
    target: dict | None = None
    size: int | None = None  # the cohort's learners, or the cohorts listed
    unit: str = ""


class QueryRecorder:
    """connection.execute_wrapper: every statement with its parameters and duration."""

    def __init__(self):
        self.calls: list[tuple[str, object, bool, float]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, many, (time.perf_counter() - start) * 1000))


def fetch(client: Client, url: str) -> int:
    """One GET, its body read to the last byte (streaming or not); the status code."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018 - read like a client would
    response.close()
    return response.status_code


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def shown_sql(sql: str, params) -> str:
    """The statement with its parameters in place (psycopg's client-side binding)."""
    if params is None:
        text = sql
    else:
        with connection.cursor() as cursor:
            text = cursor.mogrify(sql, params)
    if len(text) > SQL_SHOWN:
        text = f"{text[:SQL_SHOWN]} … ({len(text):,} caracteres)"
    return text


def explain(sql: str, params) -> str:
    if not re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE):
        return "(no es una lectura: sin EXPLAIN ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def slow_queries(calls, slow_ms: float) -> list[dict]:
    found = []
    for sql, params, many, ms in calls:
        if ms > slow_ms and not many:
            plan = explain(sql, params)
            times = re.findall(r"(?:Planning|Execution) Time: ([\d.]+) ms", plan)
            found.append(
                {
                    "ms": ms,
                    "explain_ms": sum(float(t) for t in times) if times else None,
                    "sql": shown_sql(sql, params),
                    "explain": plan,
                }
            )
    return found


def measure_page(client: Client, page: Page, runs: int, slow_ms: float) -> dict:
    result = asdict(page)
    for _ in range(WARM_UP):
        status = fetch(client, page.url)
        if status != 200:
            result["status_error"] = f"HTTP {status}"
            return result
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        status = fetch(client, page.url)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            result["status_error"] = f"HTTP {status}"
            return result
    with CaptureQueriesContext(connection) as captured:
        fetch(client, page.url)
    queries = len(captured.captured_queries)  # read now: the next request clears the log
    recorder = QueryRecorder()
    with connection.execute_wrapper(recorder):
        fetch(client, page.url)
    result.update(
        p50=statistics.median(times),
        p95=percentile(times, 0.95),
        max=max(times),
        queries=queries,
        slow=slow_queries(recorder.calls, slow_ms),
    )
    return result


# ------------------------------------------------------------------------------------------------
# The pages.
# ------------------------------------------------------------------------------------------------


def learner_pages(roles: dict, learner: User) -> list[Page]:
    note = Note.objects.select_related("topic__section").filter(user=learner).first()
    topic = note.topic
    word = next(w for w in re.findall(r"\w{5,}", note.body))
    big = roles["big_slug"]
    return [
        Page("home", "`/` con sesión", reverse("roadmap:home"), "learner", SAME),
        Page("section", "sección", topic.section.get_absolute_url(), "learner", SAME),
        Page("topic", "tema con nota", topic.get_absolute_url(), "learner", SAME),
        Page("my-progress", "`/mi-progreso/`", reverse("roadmap:my_progress"), "learner", SAME),
        Page("notes", "`/mis-notas/`", reverse("roadmap:note_list"), "learner", SAME),
        Page(
            "notes-search",
            "`/mis-notas/?q=`",
            reverse("roadmap:note_list") + "?" + urlencode({"q": word}),
            "learner",
            SAME,
        ),
        Page("note", "una nota", note.get_absolute_url(), "learner", SAME),
        Page("export", "`/cuenta/exportar/`", reverse("accounts:export"), "learner", SAME),
        Page("export-json", "exportar JSON", reverse("accounts:export_json"), "learner", SAME),
        Page("export-csv", "exportar CSV", reverse("accounts:export_csv"), "learner", SAME),
        Page(
            "export-md",
            "exportar notas (Markdown)",
            reverse("accounts:export_notes"),
            "learner",
            SAME,
        ),
        Page(
            "cohort-learner",
            "instructor: una aprendiz de su cohorte",
            reverse("roadmap:cohort_learner", args=[big, learner.pk]),
            "big_instructor",
            SAME,
        ),
    ]


def cohort_pages(roles: dict, instructor: User) -> list[Page]:
    big = Cohort.objects.get(slug=roles["big_slug"])
    huge = Cohort.objects.get(slug=roles["huge_slug"])
    sizes = {c.pk: c.memberships.filter(role="aprendiz").count() for c in (big, huge)}
    mine = Cohort.objects.taught_by(instructor).count()
    unit = "aprendices"
    return [
        Page(
            "dashboard-500",
            "tablero, cohorte grande, página 1",
            big.get_absolute_url(),
            "big_instructor",
            {"kind": "p95", "ms": 60},
            sizes[big.pk],
            unit,
        ),
        Page(
            "dashboard-5000",
            "tablero, cohorte enorme, página 1",
            huge.get_absolute_url(),
            "big_instructor",
            {"kind": "p95", "ms": 100},
            sizes[huge.pk],
            unit,
        ),
        Page(
            "csv-500",
            "CSV, cohorte grande",
            reverse("roadmap:cohort_csv", args=[big.slug]),
            "big_instructor",
            None,
            sizes[big.pk],
            unit,
        ),
        Page(
            "csv-5000",
            "CSV, cohorte enorme, hasta el último byte",
            reverse("roadmap:cohort_csv", args=[huge.slug]),
            "big_instructor",
            {"kind": "p95", "ms": 1500},
            sizes[huge.pk],
            unit,
        ),
        Page(
            "cohorts-superuser",
            "`/cohortes/` superusuario",
            reverse("roadmap:cohort_list"),
            "admin",
            {"kind": "p95", "ms": 100},
            Cohort.objects.count(),
            "cohortes",
        ),
        Page(
            "cohorts-instructor",
            "`/cohortes/` instructor",
            reverse("roadmap:cohort_list"),
            "instructor",
            None,
            mine,
            "cohortes",
        ),
    ]


def search_term(model, search_fields) -> str:
    label = model._meta.label_lower
    if label in SEARCH_TERMS:
        return SEARCH_TERMS[label]
    field = search_fields[0].lstrip("^=@").split("__")[0]
    value = str(getattr(model._default_manager.order_by("pk").first(), field, "") or "")
    words = re.findall(r"\w{4,}", value) or [value[:4]]
    return words[0].lower()


def admin_pages(admin_user: User, roles: dict, learner: User) -> list[Page]:
    """Every changelist, its search and its filters (every value of a simple filter, the first
    of the others), plus a user's and a topic's change page."""
    factory = RequestFactory()
    pages = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        name = f"admin: {opts.verbose_name_plural}"
        key = f"admin-{opts.model_name}"
        pages.append(Page(key, name, url, "admin", ADMIN_TARGET))
        request = factory.get(url)
        request.user = admin_user
        search_fields = model_admin.get_search_fields(request)
        if search_fields:
            term = search_term(model, search_fields)
            query = "?" + urlencode({"q": term})
            pages.append(
                Page(f"{key}-q", f"{name}, buscar «{term}»", url + query, "admin", ADMIN_TARGET)
            )
        changelist = model_admin.get_changelist_instance(request)
        for spec in changelist.filter_specs:
            choices = [c for c in spec.choices(changelist) if not c["selected"]]
            if not isinstance(spec, SimpleListFilter) or len(choices) > 5:
                choices = choices[:1]  # one choice of a long list (cohorts) is enough
            for choice in choices:
                query = choice["query_string"]
                label = f"{name}, filtro {spec.title} = {choice['display']}"
                pages.append(Page(f"{key}-f{query}", label, url + query, "admin", ADMIN_TARGET))
    huge = Cohort.objects.get(slug=roles["huge_slug"])
    users = reverse("admin:accounts_user_changelist")
    pages.append(
        Page(
            "admin-user-f-cohorte-enorme",
            f"admin: usuarios, filtro cohorte = {huge.name}",
            f"{users}?cohorte={huge.pk}",
            "admin",
            ADMIN_TARGET,
        )
    )
    topic = Topic.objects.published().in_course_order().first()
    pages += [
        Page(
            "admin-user-change",
            "admin: un usuario (resumen de progreso)",
            reverse("admin:accounts_user_change", args=[learner.pk]),
            "admin",
        ),
        Page(
            "admin-topic-change",
            "admin: el tema con más aprendices",
            reverse("admin:roadmap_topic_change", args=[topic.pk]),
            "admin",
        ),
    ]
    return pages


# ------------------------------------------------------------------------------------------------
# The login: the database time of a real POST, and of the user lookup within it.
# ------------------------------------------------------------------------------------------------


def is_lookup(sql: str) -> bool:
    """A read of the user or of allauth's email addresses by email (the login's lookup)."""
    return bool(
        re.match(r"\s*SELECT\b", sql, re.IGNORECASE)
        and re.search(r'FROM "account(s_user|_emailaddress)"', sql)
        and re.search(r'WHERE .*"email"', sql, re.DOTALL)
    )


def measure_login(roles: dict, slow_ms: float) -> tuple[dict, dict]:
    learners = roles["learners"]
    emails = [
        f"aprendiz{1 + (i * 7_777) % learners}@example.com" for i in range(LOGINS + 1)
    ]  # spread over the whole table
    lookups, totals, queries, sample, slow = [], [], 0, [], []
    for i, email in enumerate(emails):
        recorder = QueryRecorder()
        with connection.execute_wrapper(recorder):
            response = Client().post(LOGIN_URL, {"login": email, "password": roles["password"]})
        if response.status_code != 302:
            error = f"HTTP {response.status_code} al entrar como {email}"
            return {"status_error": error}, {"status_error": error}
        if i == 0:
            continue  # warm-up
        lookup = [call for call in recorder.calls if is_lookup(call[0])]
        lookups.append(sum(call[3] for call in lookup))
        totals.append(sum(call[3] for call in recorder.calls))
        queries = len(recorder.calls)
        sample = lookup
        slow += slow_queries(recorder.calls, slow_ms)
    row = {
        "key": "login",
        "label": "login: búsqueda del usuario (tiempo de base)",
        "url": LOGIN_URL,
        "role": "anónimo",
        "target": {"kind": "p95", "ms": 5, "db": True},
        "size": None,
        "unit": "",
        "p50": statistics.median(lookups),
        "p95": percentile(lookups, 0.95),
        "max": max(lookups),
        "queries": len(sample),
        "slow": slow[:3],
    }
    details = {
        "count": len(lookups),
        "lookup_sql": [shown_sql(sql, params) for sql, params, _many, _ms in sample],
        "total_p50": statistics.median(totals),
        "total_p95": percentile(totals, 0.95),
        "queries": queries,
    }
    return row, details


# ------------------------------------------------------------------------------------------------


def database_facts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        settings = {}
        for name in PG_SETTINGS:
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            raise SystemExit(
                f"{connection.settings_dict['NAME']}: no hay una generación completa "
                "(correr bench/scale.py sin --skip-generate)."
            )
        cursor.execute(f"SELECT roles, steps, seconds, finished_at FROM {MARKER_TABLE}")
        roles, steps, seconds, finished_at = cursor.fetchone()
    roles, steps = json.loads(roles), json.loads(steps)  # Django reads jsonb as text
    tables, total = table_sizes()
    return {
        "pg_version": version,
        "pg_settings": settings,
        "roles": roles,
        "generation": {
            "steps": steps,
            "seconds": seconds,
            "finished_at": f"{finished_at:%Y-%m-%d %H:%M UTC}",
        },
        "tables": tables,
        "database_size": total,
    }


def measure(shape, db: str, *, runs: int, pages: str, slow_ms: float) -> dict:
    call_command("collectstatic", "--noinput", verbosity=0)
    facts = database_facts()
    roles = facts["roles"]
    learner = User.objects.get(email=roles["learner_email"])
    admin_user = User.objects.get(email=roles["admin_email"])
    instructor = User.objects.get(email=roles["instructor_email"])
    clients = {}
    for role, user in (
        ("learner", learner),
        ("admin", admin_user),
        ("instructor", instructor),
        ("big_instructor", User.objects.get(email=roles["big_instructor_email"])),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    todo = learner_pages(roles, learner) + cohort_pages(roles, instructor)
    todo += admin_pages(admin_user, roles, learner)
    if pages:
        todo = [page for page in todo if re.search(pages, page.key)]
    print(f"{db}: {len(todo)} páginas, {runs} pedidos medidos cada una", flush=True)
    results = []
    for page in todo:
        result = measure_page(clients[page.role], page, runs, slow_ms)
        results.append(result)
        if result.get("status_error"):
            print(f"  {page.label:<70} {result['status_error']}  ← {page.url}", flush=True)
            continue
        print(
            f"  {page.label[:70]:<70} p50 {result['p50']:7.1f}  p95 {result['p95']:7.1f} ms  "
            f"{result['queries']:3d} consultas  {len(result['slow'])} lentas",
            flush=True,
        )
    login = {}
    if not pages or re.search(pages, "login"):
        row, login = measure_login(roles, slow_ms)
        results.append(row)
        if "p50" in row:
            print(
                f"  {row['label']:<70} p50 {row['p50']:7.2f}  p95 {row['p95']:7.2f} ms (base)",
                flush=True,
            )
        else:
            print(f"  login: {row['status_error']}", file=sys.stderr, flush=True)
    return {"database": db, "shape": asdict(shape), **facts, "pages": results, "login": login}
