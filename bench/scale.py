#!/usr/bin/env python
"""Scale benchmark (not a test): every page at 100,000 learners against the same page at ~100.

    .venv/bin/python bench/scale.py [--runs 30] [--regenerate | --skip-generate] [--only-small]
                                    [--learners 100000] [--pages REGEX] [--slow-ms 5]
    make bench-scale

Two PostgreSQL databases of their own on 127.0.0.1:5432 (user postgres, trust auth), created if
missing: `curso_scale` (large) and `curso_scale_small` (small, the same shape scaled down).

Large (issue 11): 100,000 learners joined over the past year, ~15 statuses a learner (1.5 M rows),
~1.9 status changes per status (2.8 M events, written in time order like a live site, some in the
last 7 days), 20,000 notes, 200 cohorts of 50, one of 500 and one of 5,000 (15,500 learners in
cohorts, disjoint), an instructor of 10 of the cohorts of 50, an instructor of the two big ones,
their colleagues for the rest, a superuser, and pacing targets (some already due).
Small: 100 learners, 20 notes, the instructor's 10 cohorts of 5 and two cohorts of 50 standing in
for the 500 and the 5,000 (the "size" column of the table says which is which).

Each database is migrated, gets the real course (`manage.py load_course`) and is filled with
set-based SQL (bench/scale_data.py: named steps, each timed; the derived tables are filled in
`fill_derived_tables`), then VACUUM ANALYZE. A marker table records a complete generation and its
parameters (shape, generator code, migrations): a later run with the same parameters skips the
generation; `--regenerate` drops and rebuilds the databases.

Then each database is measured in a process of its own (Django is configured once per process;
bench/scale_pages.py), in-process with django.test.Client, DEBUG off, a local-memory cache, no
whole-page cache: for each page 3 warm-up requests, then `--runs` timed ones (the body read to
its last byte, streaming responses included), p50 and p95; the number of queries of one more
request; and for every query over `--slow-ms` in one more request, its SQL and
EXPLAIN (ANALYZE, BUFFERS). Pages: the learner pages (a learner with 15 statuses and a note), the
instructor's view of that learner, the cohort dashboard (page 1) and CSV of the 500 and the 5,000
cohort, `/cohortes/` as superuser and as the instructor of 10 cohorts, every changelist of the
admin with a search when it has search fields and each of its filters (every value of the
simple ones, the first of the others), a user's and a topic's change page, and the login: the
database time of a real login POST, the user lookup and the whole request.

The table (page | small p50/p95 | large p50/p95 | ratio | queries | target | met?) is printed and
written with the machine, PostgreSQL settings, sizes and slow queries to bench/results-scale.md.
Targets (issue 11), on the large database: dashboard of 500 p95 < 60 ms; dashboard of 5,000 page 1
p95 < 100 ms; CSV of 5,000 p95 < 1.5 s; `/cohortes/` as superuser p95 < 100 ms; every admin list,
filter and search p95 < 200 ms; login lookup < 5 ms of database time (p95); learner pages large ≈
small (p50 at most 1.25 × the small one + 2 ms).

Options: --runs N (timed requests per page, 30), --regenerate (rebuild the data even if the
marker matches), --skip-generate (measure what is there), --only-small (the small database only:
a quick check), --learners N (learners of the large database, 100,000), --pages REGEX (measure
only the pages whose key matches), --slow-ms MS (EXPLAIN threshold, 5), --output FILE.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DATABASES = {"small": "curso_scale_small", "large": "curso_scale"}
DEFAULT_OUTPUT = BENCH / "results-scale.md"
LEARNER_PAGE_RATIO, LEARNER_PAGE_SLACK_MS = 1.25, 2.0


@dataclass(frozen=True)
class Shape:
    """What a database holds. Learners are numbered 1..learners (their ids); cohort seats are
    numbered too and seat s goes to learner 1 + (s × stride mod learners), so the learners of a
    cohort are spread over the whole site (and its history), and cohorts never share a learner
    while their seats fit in the site."""

    name: str
    learners: int
    notes: int
    small_cohorts: int  # the first 10 are the instructor's; the rest go 10 by 10 to colleagues
    small_cohort_size: int
    big_cohort_size: int  # "cohorte-grande": the 500 of the issue
    huge_cohort_size: int  # "cohorte-enorme": the 5,000
    instructor_cohorts: int = 10
    seat_stride: int = 7919
    seed: float = 0.2026


SHAPES = {
    "large": Shape("large", 100_000, 20_000, 200, 50, 500, 5_000),
    "small": Shape("small", 100, 20, 10, 5, 50, 50),
}


def database_url(db: str) -> str:
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db}"


def configure_django(db: str) -> None:
    """Settings as in production where it matters (DEBUG off), local memory for the cache."""
    if not db.startswith("curso_scale"):
        raise SystemExit(f"Base {db!r}: este benchmark solo usa bases curso_scale*.")
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "curso.settings",
            "DATABASE_URL": database_url(db),
            "DEBUG": "0",
            "SECRET_KEY": "scale-" + "Rt5Wq9Lm2Xv7Nc4Bz8Kd1Hf6Gs3Jp0Ya" * 2,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "CACHE_URL": f"locmem://{db}",
        }
    )
    import django

    django.setup()


def shape_from(args) -> Shape:
    shape = SHAPES[args.shape]
    if args.shape == "large" and args.learners:
        seats = shape.small_cohorts * shape.small_cohort_size
        seats += shape.big_cohort_size + shape.huge_cohort_size
        if args.learners < seats:
            raise SystemExit(f"--learners debe ser al menos {seats} (los asientos de cohortes).")
        notes = min(shape.notes, args.learners // 5)
        shape = Shape(**{**asdict(shape), "learners": args.learners, "notes": notes})
    return shape


# ------------------------------------------------------------------------------------------------
# The parent: generate and measure both databases in subprocesses, then one table.
# ------------------------------------------------------------------------------------------------


def run_child(*args: str) -> None:
    subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=ROOT, check=True)


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", cpuinfo).group(1).strip()
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} núcleos (nproc), Python {platform.python_version()}"


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def pair(result: dict | None) -> str:
    if result is None:
        return "—"
    if result.get("status_error"):
        return f"**{result['status_error']}**"
    return f"{fmt_ms(result['p50'])} / {fmt_ms(result['p95'])}"


def verdict(page: dict, small: dict | None, large: dict | None) -> str:
    target = page["target"]
    if not target or large is None:
        return ""
    if large.get("status_error"):
        return "❌"
    if target["kind"] == "p95":
        return "✅" if large["p95"] < target["ms"] else "❌"
    if target["kind"] == "same":
        if small is None or small.get("status_error"):
            return "?"
        limit = LEARNER_PAGE_RATIO * small["p50"] + LEARNER_PAGE_SLACK_MS
        return "✅" if large["p50"] <= limit else "❌"
    return ""


def target_text(target: dict | None) -> str:
    if not target:
        return ""
    if target["kind"] == "p95":
        label = "DB " if target.get("db") else ""
        limit = f"{target['ms'] / 1000:g} s" if target["ms"] >= 1000 else f"{target['ms']:g} ms"
        return f"{label}p95 < {limit}"
    return f"≈ chica (p50 ≤ {LEARNER_PAGE_RATIO:g}× + {LEARNER_PAGE_SLACK_MS:g} ms)"


def table(results: dict[str, dict]) -> list[str]:
    small, large = results.get("small"), results.get("large")
    pages: dict[str, dict] = {}
    for run in (large, small):  # the large run's labels (cohort names carry their size)
        for page in run["pages"] if run else []:
            pages.setdefault(page["key"], page)
    lines = [
        "| página | chica p50 / p95 ms | grande p50 / p95 ms | grande ÷ chica (p50) "
        "| consultas chica / grande | objetivo | ¿cumple? |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for key, page in pages.items():
        s = next((p for p in small["pages"] if p["key"] == key), None) if small else None
        g = next((p for p in large["pages"] if p["key"] == key), None) if large else None
        ratio = ""
        if s and g and not s.get("status_error") and not g.get("status_error") and s["p50"]:
            ratio = f"{g['p50'] / s['p50']:.2f}"
        queries = " / ".join(str(p["queries"]) if p else "—" for p in (s, g))
        label = page["label"]
        if page.get("unit"):
            label += f" ({' / '.join(str(p['size']) if p else '—' for p in (s, g))} {page['unit']})"
        lines.append(
            f"| {label} | {pair(s)} | {pair(g)} | {ratio} | {queries} "
            f"| {target_text(page['target'])} | {verdict(page, s, g)} |"
        )
    return lines


def sizes_section(run: dict) -> list[str]:
    lines = [
        "| tabla | filas | tabla | índices | total |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in run["tables"]:
        lines.append(
            f"| `{row['table']}` | {thousands(row['rows'])} | {row['table_size']} "
            f"| {row['index_size']} | {row['total_size']} |"
        )
    total = run["database_size"]
    lines.append(f"| **toda la base** | | | | {total} |")
    return lines


def generation_section(run: dict) -> list[str]:
    marker = run["generation"]
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in marker["steps"])
    return [
        f"Generada el {marker['finished_at']} en {marker['seconds']:.0f} s "
        f"(migrate y curso incluidos): {steps}."
    ]


def query_gist(sql: str) -> str:
    """What a query reads, in a few words: its first table, and whether it only counts."""
    table = re.search(r'FROM "(\w+)"', sql)
    counts = re.match(r"SELECT COUNT\(\*\)", sql)
    return ("COUNT · " if counts else "") + (f"`{table.group(1)}`" if table else sql[:40])


def slow_section(results: dict[str, dict], slow_ms: float) -> list[str]:
    """Queries over `slow_ms` in a page's extra request: a summary, slowest first; then in full
    (SQL and plan) those whose EXPLAIN ANALYZE is slow too, and in one line those whose plan
    ran fast (the machine was busy, or it was a first read)."""
    slow, brief = [], []
    for name, title in (("large", "grande"), ("small", "chica")):
        run = results.get(name)
        for page in run["pages"] if run else []:
            for query in page.get("slow", []):
                explained = query.get("explain_ms")
                where = f"{title} · {page['label']} · {query['ms']:.1f} ms en el pedido"
                if explained is not None and explained < slow_ms:
                    brief.append(
                        f"- {where}, {explained:.2f} ms en EXPLAIN (plan + ejecución): "
                        f"{query_gist(query['sql'])}"
                    )
                else:
                    slow.append((title, page, query, where))
    if not slow and not brief:
        return [f"Ninguna consulta pasó de {slow_ms:g} ms."]
    lines = [
        "| base | página | ms en el pedido | ms en EXPLAIN ANALYZE (plan + ejecución) | lee |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for title, page, query, _where in sorted(slow, key=lambda s: -s[2]["ms"]):
        explained = query.get("explain_ms")
        lines.append(
            f"| {title} | {page['label']} | {query['ms']:.1f} | "
            f"{'—' if explained is None else f'{explained:.1f}'} | {query_gist(query['sql'])} |"
        )
    lines.append("")
    if brief:
        lines += [
            f"Pasaron de {slow_ms:g} ms en el pedido pero no en su EXPLAIN ANALYZE (ruido de la "
            "máquina o primera lectura):",
            "",
            *brief,
            "",
        ]
    for _title, _page, query, where in slow:
        explained = query.get("explain_ms")
        explained_text = "" if explained is None else f", {explained:.1f} ms en EXPLAIN"
        lines += [
            f"#### {where}{explained_text}",
            "",
            "```sql",
            query["sql"],
            "```",
            "",
            "```",
            query["explain"],
            "```",
            "",
        ]
    return lines


def report(results: dict[str, dict], args, started: float) -> str:
    any_run = results.get("large") or results.get("small")
    settings = ", ".join(f"{key} = {value}" for key, value in any_run["pg_settings"].items())
    lines = [
        "### Escala: 100.000 aprendices contra ~100 (bench/scale.py)",
        "",
        f"Máquina: {machine()}. {any_run['pg_version']}. "
        f"Fecha: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"carga media al empezar {results['load_before']}, al terminar "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}. "
        f"Duración total: {(time.time() - started) / 60:.1f} min.",
        f"PostgreSQL (configuración por defecto): {settings}.",
        f"Medido dentro del proceso (django.test.Client, DEBUG off, caché en memoria local): "
        f"3 pedidos de calentamiento y {args.runs} medidos por página, el cuerpo leído hasta el "
        "último byte. Consultas: las de un pedido más. Tamaños entre paréntesis: la cohorte en "
        "la base chica / en la grande.",
        "",
    ]
    lines += table(results)
    for name in ("large", "small"):
        run = results.get(name)
        if not run:
            continue
        login = run["login"]
        if not login or login.get("status_error"):
            continue
        lines += [
            "",
            f"**Login ({name})**: {login['count']} logins reales (POST a `/accounts/login/`, "
            f"aprendices distintos). Consultas de la búsqueda del usuario: "
            + "; ".join(f"`{sql}`" for sql in login["lookup_sql"])
            + f". Tiempo de base de todo el pedido p50 / p95: {fmt_ms(login['total_p50'])} / "
            f"{fmt_ms(login['total_p95'])} ms en {login['queries']} consultas.",
        ]
    for name, title in (("large", "grande"), ("small", "chica")):
        run = results.get(name)
        if not run:
            continue
        lines += ["", f"#### Base {title} (`{run['database']}`)", ""]
        lines += generation_section(run) + [""] + sizes_section(run)
    lines += ["", f"### Consultas de más de {args.slow_ms:g} ms, con su EXPLAIN", ""]
    lines += slow_section(results, args.slow_ms)
    return "\n".join(lines) + "\n"


def run_all(args) -> int:
    started = time.time()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    names = ["small"] if args.only_small else ["small", "large"]
    common = ["--learners", str(args.learners)] if args.learners else []
    if not args.skip_generate:
        for name in names:
            extra = ["--regenerate"] if args.regenerate else []
            run_child("generate", "--shape", name, *common, *extra)
    results: dict = {"load_before": load_before}
    with tempfile.TemporaryDirectory(prefix="curso-scale-") as tmp:
        for name in names:
            out = Path(tmp) / f"{name}.json"
            measure = ["measure", "--shape", name, "--runs", str(args.runs), "--json", str(out)]
            measure += ["--slow-ms", str(args.slow_ms), *common]
            if args.pages:
                measure += ["--pages", args.pages]
            run_child(*measure)
            results[name] = json.loads(out.read_text())
    text = report(results, args, started)
    print("\n" + text)
    Path(args.output).write_text(text)
    print(f"Escrito en {args.output}")
    failed = [
        f"{name}: {page['label']} ({page['status_error']})"
        for name in names
        for page in results[name]["pages"]
        if page.get("status_error")
    ]
    if failed:
        print("Páginas que no respondieron 200:\n  " + "\n  ".join(failed), file=sys.stderr)
    return 1 if failed else 0


# ------------------------------------------------------------------------------------------------
# The children: one database each.
# ------------------------------------------------------------------------------------------------


def child_generate(args) -> int:
    shape = shape_from(args)
    db = DATABASES[args.shape]
    configure_django(db)
    from bench import scale_data

    scale_data.ensure_generated(shape, db, PG, regenerate=args.regenerate)
    return 0


def child_measure(args) -> int:
    shape = shape_from(args)
    db = DATABASES[args.shape]
    configure_django(db)
    from bench import scale_pages

    result = scale_pages.measure(shape, db, runs=args.runs, pages=args.pages, slow_ms=args.slow_ms)
    Path(args.json).write_text(json.dumps(result, default=str))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="pedidos medidos por página")
    parser.add_argument("--learners", type=int, default=0, help="aprendices de la base grande")
    parser.add_argument("--pages", default="", help="solo las páginas cuya clave coincide")
    parser.add_argument("--slow-ms", type=float, default=5.0, help="umbral para EXPLAIN")
    parser.add_argument("--regenerate", action="store_true", help="regenerar los datos")
    parser.add_argument("--skip-generate", action="store_true", help="medir lo que hay")
    parser.add_argument("--only-small", action="store_true", help="solo la base chica")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    sub = parser.add_subparsers(dest="command")
    generate = sub.add_parser("generate", help="(interno) genera una base")
    generate.add_argument("--shape", choices=SHAPES, required=True)
    generate.add_argument("--learners", type=int, default=0)
    generate.add_argument("--regenerate", action="store_true")
    measure = sub.add_parser("measure", help="(interno) mide una base")
    measure.add_argument("--shape", choices=SHAPES, required=True)
    measure.add_argument("--learners", type=int, default=0)
    measure.add_argument("--runs", type=int, default=30)
    measure.add_argument("--pages", default="")
    measure.add_argument("--slow-ms", type=float, default=5.0)
    measure.add_argument("--json", required=True)
    args = parser.parse_args()
    if args.command == "generate":
        return child_generate(args)
    if args.command == "measure":
        return child_measure(args)
    return run_all(args)


if __name__ == "__main__":
    sys.exit(main())
