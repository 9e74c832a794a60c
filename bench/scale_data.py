"""The data of the scale benchmark (bench/scale.py), written with set-based SQL on PostgreSQL.

Runs in a process where Django is configured for the database being generated. Each step is one
or a few SQL statements (INSERT … SELECT over generate_series; no ORM loops) and is timed. Rows
go in in the order a live site would have written them: users by date joined, statuses by when
they were first set, events and notes by their time. Randomness is seeded (`setseed`).
"""

import datetime
import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import psycopg
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from accounts.models import User
from roadmap.catalog.markdown import plain_excerpt_html, render_markdown
from roadmap.catalog.search import normalize_search_text
from roadmap.cohorts.models import new_join_code
from roadmap.models import (
    Cohort,
    CohortMembership,
    Note,
    ProgressEvent,
    Section,
    SectionTarget,
    Topic,
    TopicProgress,
)

PASSWORD = "curso-escala-2026"
MARKER_TABLE = "bench_scale_generation"
BIG_SLUG, HUGE_SLUG = "cohorte-grande", "cohorte-enorme"
ADMIN_EMAIL = "admin@example.com"
INSTRUCTOR_EMAIL = "instructor@example.com"  # teaches `instructor_cohorts` cohorts of 50
BIG_INSTRUCTOR_EMAIL = "instructor-grande@example.com"  # teaches the 500 and the 5,000
TARGETS_PER_COHORT = 12
FIRST_NAMES = [
    "Ana", "Bruno", "Carla", "Diego", "Elena", "Facundo", "Gabriela", "Hernán", "Inés", "Julián",
    "Karina", "Lucas", "Martina", "Nicolás", "Olivia", "Pablo", "Quimey", "Rocío", "Santiago",
    "Tamara", "Ulises", "Valentina", "Walter", "Ximena", "Yamila", "Zoe",
]  # fmt: skip
LAST_NAMES = ["Pérez", "Gómez", "Rodríguez", "Fernández", "López", "Díaz", "Martínez", "Sosa"]
TIME_ZONES = ["America/Mexico_City", "America/Bogota", "Europe/Madrid", "America/Santiago"]
NOTE_BODIES = [
    "## Qué me llevo\n\n**LoRA** congela los pesos y entrena dos matrices chicas.\n\n"
    "- rango 8, `alpha` 16\n- probar con QLoRA en 4 bits\n\nVer [el paper](https://arxiv.org/abs/2106.09685).",
    "Repasar la *atención*: `softmax(QK^T / sqrt(d)) V`.\n\n1. escalar\n2. enmascarar\n3. sumar\n\n"
    "> La atención es un promedio ponderado.",
    "Dudas para la clase:\n\n- ¿por qué el tokenizador parte así las palabras?\n"
    "- ¿temperatura 0 es siempre determinista?\n\nPendiente: el cuaderno de *sampling*.",
]

# --------------------------------------------------------------------------------------------
# The steps. Parameters are named (%(name)s); `mod()` instead of the % operator.
# --------------------------------------------------------------------------------------------

PLAN_SQL = """
CREATE TEMP TABLE bench_plan AS
WITH base AS (
    SELECT n,
           %(now)s - interval '365 days'
               + (n - random()) * (interval '365 days' / %(learners)s) AS joined_at,
           random() AS r_active, random() AS r_k, random() AS r_start,
           random() AS r_first, random() AS r_recent, random() AS r_last
    FROM generate_series(1, %(learners)s) AS n
), window_start AS (
    SELECT *, joined_at + r_first * least(interval '3 days', %(now)s - joined_at) AS first_at
    FROM base
)
SELECT n, joined_at, first_at,
       CASE WHEN n = %(learner)s THEN 15
            WHEN r_active < 0.10 THEN 0
            ELSE least(%(topic_count)s, 1 + floor(-ln(1 - r_k) * 16.2))::int END AS k,
       CASE WHEN n = %(learner)s OR r_start < 0.65 THEN 0
            ELSE floor((r_start - 0.65) / 0.35 * %(topic_count)s)::int END AS first_topic,
       CASE WHEN n = %(learner)s THEN %(now)s - interval '2 days'
            WHEN r_recent < 0.18
                THEN %(now)s - r_last * least(interval '7 days', %(now)s - first_at)
            ELSE first_at + r_last * greatest(
                interval '0 days', %(now)s - interval '8 days' - first_at) END AS last_at
FROM window_start
"""

USERS_SQL = """
INSERT INTO accounts_user (id, password, last_login, is_superuser, email, display_name,
                           is_staff, is_active, date_joined, time_zone)
SELECT n, %(password)s, CASE WHEN k > 0 THEN last_at ELSE joined_at END, false,
       'aprendiz' || n || '@example.com',
       CASE WHEN mod(n, 5) < 2 THEN (%(first_names)s::text[])[1 + mod(n, 26)] || ' '
            || (%(last_names)s::text[])[1 + mod(n / 26, 8)] ELSE '' END,
       false, true, joined_at,
       CASE WHEN mod(n, 7) = 3 THEN (%(time_zones)s::text[])[1 + mod(n / 7, 4)]
            ELSE 'America/Argentina/Buenos_Aires' END
FROM bench_plan ORDER BY n
"""

STAFF_SQL = """
INSERT INTO accounts_user (id, password, last_login, is_superuser, email, display_name,
                           is_staff, is_active, date_joined, time_zone)
SELECT id, %(password)s, %(now)s - interval '1 day', superuser, email, name, superuser, true,
       %(now)s - interval '400 days', 'America/Argentina/Buenos_Aires'
FROM unnest(%(staff_ids)s::bigint[], %(staff_emails)s::text[], %(staff_names)s::text[],
            %(staff_superuser)s::boolean[]) AS s(id, email, name, superuser)
ORDER BY id
"""

EMAILS_SQL = """
INSERT INTO account_emailaddress (user_id, email, verified, "primary")
SELECT id, email, is_staff OR mod(id, 10) < 8, true FROM accounts_user ORDER BY id
"""

# One row per (learner, topic): the learner's k topics from `first_topic` on, in course order.
# The last two are the learner's current ones (mostly in progress). Times: the learner's window
# split in k slots; statuses reached in one change (in progress, skipped) have one time.
PROGRESS_PLAN_SQL = """
CREATE TEMP TABLE bench_progress AS
SELECT user_id, j, topic_id, status, reopened AND status = 'completado' AS reopened,
       CASE WHEN status IN ('en_progreso', 'omitido') THEN slot_end ELSE slot_start END AS t0,
       slot_end AS t1
FROM (
    SELECT user_id, j, topic_id, slot_start, reopened,
           CASE WHEN j >= k - 2 THEN
                CASE WHEN r < 0.55 THEN 'en_progreso' WHEN r < 0.85 THEN 'completado'
                     WHEN r < 0.93 THEN 'pendiente' ELSE 'omitido' END
           ELSE CASE WHEN r < 0.82 THEN 'completado' WHEN r < 0.91 THEN 'omitido'
                     WHEN r < 0.96 THEN 'en_progreso' ELSE 'pendiente' END
           END AS status,
           CASE WHEN j = k - 1 THEN last_at
                ELSE first_at + (last_at - first_at) * (j + 0.2 + 0.8 * r2) / k
           END AS slot_end
    FROM (
        SELECT p.n AS user_id, p.k, p.first_at, p.last_at, j,
               (%(topic_ids)s::bigint[])[1 + mod(p.first_topic + j, %(topic_count)s)] AS topic_id,
               p.first_at + (p.last_at - p.first_at) * j / p.k AS slot_start,
               random() AS r, random() AS r2, random() < 0.08 AS reopened
        FROM bench_plan p
        CROSS JOIN LATERAL generate_series(0, p.k - 1) AS j
    ) AS dice
) AS rows
"""

PROGRESS_SQL = """
INSERT INTO roadmap_topicprogress (user_id, topic_id, status, started_at, completed_at,
                                   updated_at)
SELECT user_id, topic_id, status, CASE WHEN status = 'omitido' THEN NULL ELSE t0 END,
       CASE WHEN status = 'completado' THEN t1 END, t1
FROM bench_progress ORDER BY t0
"""

# Each status's history: the changes that led to it, spread between t0 and t1.
EVENTS_SQL = """
INSERT INTO roadmap_progressevent (user_id, topic_id, status, created_at)
SELECT p.user_id, p.topic_id, e.status,
       p.t0 + (p.t1 - p.t0) * (e.i - 1) / greatest(cardinality(h.statuses) - 1, 1)
FROM bench_progress p
CROSS JOIN LATERAL (SELECT CASE
    WHEN p.status = 'completado' AND p.reopened
        THEN ARRAY['en_progreso', 'completado', 'en_progreso', 'completado']
    WHEN p.status = 'completado' THEN ARRAY['en_progreso', 'completado']
    WHEN p.status = 'pendiente' THEN ARRAY['en_progreso', 'pendiente']
    ELSE ARRAY[p.status] END AS statuses) AS h
CROSS JOIN LATERAL unnest(h.statuses) WITH ORDINALITY AS e(status, i)
ORDER BY 4
"""

# A note on the first topic of `notes` learners who marked something (always the bench learner).
NOTES_SQL = """
INSERT INTO roadmap_note (user_id, topic_id, body, body_html, excerpt_html, search_text,
                          created_at, updated_at)
SELECT user_id, topic_id, (%(bodies)s::text[])[v], (%(bodies_html)s::text[])[v],
       (%(excerpts_html)s::text[])[v], (%(search_texts)s::text[])[v], created,
       least(%(now)s, created + random() * interval '20 days')
FROM (
    SELECT p.user_id, p.topic_id, 1 + mod(p.user_id, %(body_count)s)::int AS v,
           least(%(now)s, p.t0 + interval '1 hour') AS created
    FROM bench_progress p
    WHERE p.j = 0 AND p.user_id IN (
        SELECT n FROM bench_plan WHERE k > 0 ORDER BY n = %(learner)s DESC, random()
        LIMIT %(notes)s)
) AS chosen
ORDER BY created
"""

COHORTS_SQL = """
INSERT INTO roadmap_cohort (id, name, slug, description, start_date, end_date, is_active,
                            join_code, created_at)
SELECT id, name, slug, '', start_date, end_date, end_date >= %(today)s, join_code,
       start_date - interval '7 days'
FROM unnest(%(cohort_ids)s::bigint[], %(cohort_names)s::text[], %(cohort_slugs)s::text[],
            %(cohort_starts)s::date[], %(cohort_ends)s::date[], %(cohort_codes)s::text[])
     AS c(id, name, slug, start_date, end_date, join_code)
ORDER BY id
"""

# Seat s of the site's cohort seats goes to learner 1 + (s × stride mod learners).
MEMBERSHIPS_SQL = """
INSERT INTO roadmap_cohortmembership (cohort_id, user_id, role, joined_at)
SELECT cohort_id, user_id, role, joined_at FROM (
    SELECT c.id AS cohort_id, 1 + mod(seat * %(stride)s, %(learners)s) AS user_id,
           'aprendiz' AS role,
           least(%(now)s, c.start_date + random() * interval '10 days') AS joined_at
    FROM unnest(%(cohort_ids)s::bigint[], %(cohort_seats)s::bigint[], %(cohort_sizes)s::int[],
                %(cohort_starts)s::date[]) AS c(id, first_seat, size, start_date)
    CROSS JOIN LATERAL generate_series(c.first_seat, c.first_seat + c.size - 1) AS seat
    UNION ALL
    SELECT t.cohort_id, t.user_id, 'instructor', t.start_date - interval '7 days'
    FROM unnest(%(teacher_cohorts)s::bigint[], %(teacher_ids)s::bigint[],
                %(teacher_starts)s::date[]) AS t(cohort_id, user_id, start_date)
) AS m
ORDER BY joined_at
"""

TARGETS_SQL = """
INSERT INTO roadmap_sectiontarget (cohort_id, section_id, due_date)
SELECT c.id, s.section_id, c.start_date + 7 * s.i::int
FROM unnest(%(cohort_ids)s::bigint[], %(cohort_starts)s::date[]) AS c(id, start_date)
CROSS JOIN unnest(%(section_ids)s::bigint[]) WITH ORDINALITY AS s(section_id, i)
ORDER BY c.id, s.i
"""


def fill_derived_tables(cursor) -> None:
    """Tables derived from the raw rows, e.g. rollups, are filled here.

    Called once users, statuses, events, notes and cohorts are written (and the sequences reset),
    before VACUUM ANALYZE, in the same session: a backfill can read the raw tables and the
    temporary `bench_plan` / `bench_progress` tables of this generation."""
    from roadmap.learning.rollup import backfill_daily_activity
    from roadmap.learning.summary import rebuild_learner_summaries

    backfill_daily_activity()  # the per-learner daily rollup every activity page reads
    rebuild_learner_summaries()  # running totals and last change, from statuses and rollup


# --------------------------------------------------------------------------------------------


def generator_digest(shape) -> dict:
    """What a generation depends on: the shape, this file and the migrations on disk."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrations = sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return {"shape": asdict(shape), "code": code, "migrations": migrations}


def pg_admin(pg: dict, sql: str) -> None:
    with psycopg.connect(
        host=pg["host"], port=pg["port"], user=pg["user"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(sql)


def stored_generation(pg: dict, db: str) -> dict | None:
    """The marker of a complete generation in `db`, if any (None if the database is missing)."""
    try:
        conn = psycopg.connect(host=pg["host"], port=pg["port"], user=pg["user"], dbname=db)
    except psycopg.OperationalError:
        return None
    with conn:
        exists = conn.execute("SELECT to_regclass(%s)", [MARKER_TABLE]).fetchone()[0]
        if not exists:
            return {}
        row = conn.execute(f"SELECT params, roles FROM {MARKER_TABLE}").fetchone()
        return {"params": row[0], "roles": row[1]} if row else {}


def ensure_generated(shape, db: str, pg: dict, *, regenerate: bool) -> None:
    wanted = generator_digest(shape)
    stored = stored_generation(pg, db)
    if stored and stored["params"] == wanted and not regenerate:
        print(f"{db}: datos ya generados con los mismos parámetros; se usan (--regenerate).")
        return
    if stored is None:
        reason = "la base no existe"
    elif not stored:
        reason = "la base no tiene una generación completa"
    elif regenerate:
        reason = "--regenerate"
    else:
        changed = [key for key in wanted if stored["params"].get(key) != wanted[key]]
        reason = f"cambió: {', '.join(changed)}"
    print(f"{db}: se genera ({reason}).", flush=True)
    connection.close()
    pg_admin(pg, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    pg_admin(pg, f'CREATE DATABASE "{db}"')
    generate(shape, db, wanted)


def timed_step(steps: list, name: str, action: Callable[[], int | None]) -> None:
    start = time.perf_counter()
    rows = action()
    seconds = time.perf_counter() - start
    steps.append((name, round(seconds, 2)))
    rows_text = f"{rows:>10,} filas" if isinstance(rows, int) and rows >= 0 else ""
    print(f"  {name:<24} {seconds:7.1f} s {rows_text}", flush=True)


def sample_notes() -> dict:
    """The note bodies, rendered once with the project's renderer (as NoteForm would)."""
    html, excerpts, search = [], [], []
    for body in NOTE_BODIES:
        rendered = render_markdown(body)
        html.append(rendered)
        excerpts.append(plain_excerpt_html(rendered))
        search.append(normalize_search_text(body))
    return {
        "bodies": NOTE_BODIES,
        "bodies_html": html,
        "excerpts_html": excerpts,
        "search_texts": search,
        "body_count": len(NOTE_BODIES),
    }


def coprime_stride(stride: int, learners: int) -> int:
    while math.gcd(stride, learners) != 1:
        stride += 1
    return stride


def plan_cohorts(shape, staff: dict[str, int], stride: int, today: datetime.date) -> dict:
    """Cohort rows, their seats and their instructors, as arrays for the SQL steps."""
    ids, names, slugs, starts, ends, codes, seats, sizes = ([] for _ in range(8))
    teachers: list[tuple[int, int, datetime.date]] = []
    seat = 0
    colleagues = [email for email in staff if email.startswith("docente")]
    for c in range(1, shape.small_cohorts + 1):
        start = today - datetime.timedelta(days=30 + (c - 1) * 330 // shape.small_cohorts)
        ids.append(c)
        names.append(f"Cohorte {c:03d}")
        slugs.append(f"cohorte-{c:03d}")
        starts.append(start)
        ends.append(start + datetime.timedelta(days=120))
        seats.append(seat)
        sizes.append(shape.small_cohort_size)
        seat += shape.small_cohort_size
        if c <= shape.instructor_cohorts:
            teacher = INSTRUCTOR_EMAIL
        else:
            teacher = colleagues[(c - shape.instructor_cohorts - 1) // shape.instructor_cohorts]
        teachers.append((c, staff[teacher], start))
    for slug, label, size in (
        (BIG_SLUG, "Cohorte grande", shape.big_cohort_size),
        (HUGE_SLUG, "Cohorte enorme", shape.huge_cohort_size),
    ):
        c = len(ids) + 1
        start = today - datetime.timedelta(days=56)
        ids.append(c)
        names.append(f"{label} ({size})")
        slugs.append(slug)
        starts.append(start)
        ends.append(today + datetime.timedelta(days=56))
        seats.append(seat)
        sizes.append(size)
        seat += size
        teachers.append((c, staff[BIG_INSTRUCTOR_EMAIL], start))
    codes = [new_join_code() for _ in ids]
    return {
        "cohort_ids": ids,
        "cohort_names": names,
        "cohort_slugs": slugs,
        "cohort_starts": starts,
        "cohort_ends": ends,
        "cohort_codes": codes,
        "cohort_seats": seats,
        "cohort_sizes": sizes,
        "teacher_cohorts": [t[0] for t in teachers],
        "teacher_ids": [t[1] for t in teachers],
        "teacher_starts": [t[2] for t in teachers],
        "big_first_seat": seats[-2],
    }


def staff_users(shape) -> dict[str, int]:
    """Email → id of the accounts that are not learners (ids after the learners')."""
    colleagues = math.ceil(
        max(0, shape.small_cohorts - shape.instructor_cohorts) / shape.instructor_cohorts
    )
    emails = [ADMIN_EMAIL, INSTRUCTOR_EMAIL, BIG_INSTRUCTOR_EMAIL]
    emails += [f"docente{i:02d}@example.com" for i in range(1, colleagues + 1)]
    return {email: shape.learners + i for i, email in enumerate(emails, start=1)}


def generate(shape, db: str, params_digest: dict) -> None:
    started = time.perf_counter()
    steps: list[tuple[str, float]] = []
    timed_step(steps, "migrate", lambda: call_command("migrate", verbosity=0))
    timed_step(steps, "curso (load_course)", lambda: call_command("load_course", verbosity=0))

    now = timezone.now()
    today = timezone.localdate()
    stride = coprime_stride(shape.seat_stride, shape.learners)
    staff = staff_users(shape)
    topics = list(Topic.objects.published().in_course_order().values_list("pk", flat=True))
    sections = list(Section.objects.published().in_course_order().values_list("pk", flat=True))
    cohorts = plan_cohorts(shape, staff, stride, today)
    learner = 1 + (cohorts.pop("big_first_seat") * stride) % shape.learners
    params = {
        "now": now,
        "today": today,
        "seed": shape.seed,
        "learners": shape.learners,
        "notes": shape.notes,
        "learner": learner,
        "stride": stride,
        "password": make_password(PASSWORD),
        "first_names": FIRST_NAMES,
        "last_names": LAST_NAMES,
        "time_zones": TIME_ZONES,
        "topic_ids": topics,
        "topic_count": len(topics),
        "section_ids": sections[:TARGETS_PER_COHORT],
        "staff_ids": list(staff.values()),
        "staff_emails": list(staff),
        "staff_names": ["Admin" if e == ADMIN_EMAIL else e.split("@")[0].title() for e in staff],
        "staff_superuser": [email == ADMIN_EMAIL for email in staff],
        **cohorts,
        **sample_notes(),
    }

    with connection.cursor() as cursor:

        def run(sql: str) -> int:
            cursor.execute(sql, params)
            return cursor.rowcount

        cursor.execute("SET work_mem = '256MB'")  # this session only: the sorts stay in memory
        cursor.execute("SET max_parallel_workers_per_gather = 0")  # one random() sequence
        cursor.execute("SELECT setseed(%(seed)s)", params)
        timed_step(steps, "plan (temporal)", lambda: run(PLAN_SQL))
        cursor.execute("ANALYZE bench_plan")
        timed_step(steps, "usuarios", lambda: run(USERS_SQL))
        timed_step(steps, "staff", lambda: run(STAFF_SQL))
        timed_step(steps, "emails (allauth)", lambda: run(EMAILS_SQL))
        timed_step(steps, "estados (temporal)", lambda: run(PROGRESS_PLAN_SQL))
        timed_step(steps, "estados", lambda: run(PROGRESS_SQL))
        timed_step(steps, "historial", lambda: run(EVENTS_SQL))
        timed_step(steps, "notas", lambda: run(NOTES_SQL))
        timed_step(steps, "cohortes", lambda: run(COHORTS_SQL))
        timed_step(steps, "integrantes", lambda: run(MEMBERSHIPS_SQL))
        timed_step(steps, "metas de sección", lambda: run(TARGETS_SQL))

        def reset_sequences() -> None:
            models = [User, EmailAddress, TopicProgress, ProgressEvent, Note, Cohort]
            models += [CohortMembership, SectionTarget]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

        timed_step(steps, "secuencias", reset_sequences)
        timed_step(steps, "tablas derivadas", lambda: fill_derived_tables(cursor))
        cursor.execute("DROP TABLE bench_plan, bench_progress")
        cursor.execute("RESET work_mem")
        timed_step(steps, "VACUUM ANALYZE", lambda: cursor.execute("VACUUM ANALYZE"))

        seconds = time.perf_counter() - started
        roles = {
            "learner_email": f"aprendiz{learner}@example.com",
            "learner_id": learner,
            "admin_email": ADMIN_EMAIL,
            "instructor_email": INSTRUCTOR_EMAIL,
            "big_instructor_email": BIG_INSTRUCTOR_EMAIL,
            "big_slug": BIG_SLUG,
            "huge_slug": HUGE_SLUG,
            "password": PASSWORD,
            "learners": shape.learners,
        }
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (params jsonb NOT NULL, roles jsonb NOT NULL, "
            "steps jsonb NOT NULL, seconds double precision NOT NULL, "
            "finished_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (params, roles, steps, seconds) VALUES (%s, %s, %s, %s)",
            [json.dumps(params_digest), json.dumps(roles), json.dumps(steps), seconds],
        )
    print(f"{db}: generada en {seconds:.0f} s.")
    print_sizes(db)


def table_sizes() -> tuple[list[dict], str]:
    """Every table with rows: exact row count and pg_total_relation_size (table + indexes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) + coalesce(pg_total_relation_size("
            "c.reltoastrelid), 0), pg_indexes_size(c.oid), pg_total_relation_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 4 DESC, 1"
        )
        tables = []
        for name, table_bytes, index_bytes, total_bytes in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{name}"')
            rows = cursor.fetchone()[0]
            if rows:
                tables.append(
                    {
                        "table": name,
                        "rows": rows,
                        "table_size": human_bytes(table_bytes),
                        "index_size": human_bytes(index_bytes),
                        "total_size": human_bytes(total_bytes),
                    }
                )
        cursor.execute("SELECT pg_database_size(current_database())")
        return tables, human_bytes(cursor.fetchone()[0])


def human_bytes(size: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def print_sizes(db: str) -> None:
    tables, total = table_sizes()
    print(f"{db}: {total} en total")
    print(f"  {'tabla':<32} {'filas':>11} {'tabla':>10} {'índices':>10} {'total':>10}")
    for row in tables:
        print(
            f"  {row['table']:<32} {row['rows']:>11,} {row['table_size']:>10} "
            f"{row['index_size']:>10} {row['total_size']:>10}"
        )
