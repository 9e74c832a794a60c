#!/usr/bin/env python
"""Lighthouse audit (not a test, not part of `make test`): the project as in production.

    python bench/lighthouse.py [--runs 3] [--pages home-anon,home,section,topic,progress]
                               [--form-factors mobile,desktop]

Prepares a throwaway SQLite database (migrate, the cache table, `load_course`), collects the
static files (hashed, compressed names) into a temporary directory, starts gunicorn with
DEBUG=0 and SSL redirect off (plain http on 127.0.0.1; the helpers of bench/load.py), creates a
learner with some progress and a note and signs her in through allauth's form. Then runs
Lighthouse (npm `lighthouse@12` through `npx --yes`, never installed in the repository; 13 needs
Node 22) with Debian's Chromium on `/` anonymous and, with the learner's session cookie
(`--extra-headers`), on `/`, a section, a topic with her note and Mi progreso, in the default
mobile form factor and with `--preset=desktop`.

Prints a table (page × form factor × the four category scores, and the audits that cost points)
and writes it to bench/results-lighthouse.md. Exits with 1 when any score is below 0.95.
Each page is audited --runs times (3) and the run with the median performance score is kept
(Lighthouse's own advice: performance varies between runs, mostly with the machine's load; the
other categories do not). About 12 minutes on 2 busy cores; --runs 1 for a quick look.
Run it with the project's virtualenv python: gunicorn is taken from next to it.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from load import (
    BENCH,
    PROJECT_READY,
    PROJECT_WSGI,
    check_page,
    log_in,
    machine,
    manage,
    project_environment,
    start_server,
)

LIGHTHOUSE = "lighthouse@12"  # pinned major: 13 needs Node 22, Debian's is 20
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CATEGORY_LABELS = {
    "performance": "rendimiento",
    "accessibility": "accesibilidad",
    "best-practices": "buenas prácticas",
    "seo": "SEO",
}
FORM_LABELS = {"mobile": "móvil", "desktop": "escritorio"}
TARGET = 0.95
RUN_TIMEOUT_SECONDS = 240
ATTEMPTS = 3  # per run: Lighthouse sometimes loses the trace
WARM_UP_REQUESTS = 4
RESULTS = BENCH / "results-lighthouse.md"

# =================================================================================================
# PROJECT-SPECIFIC: the learner, her progress and note, and the pages to audit.
# =================================================================================================
LEARNER_EMAIL = "lighthouse@example.com"
HOME, MY_PROGRESS = "/", "/mi-progreso/"

SETUP = """
import json
from allauth.account.models import EmailAddress
from accounts.models import User
from roadmap.learning.services import progress_set_status
from roadmap.models import Note, Section, Status, Topic

user = User.objects.create_user({email!r}, {password!r})
user.display_name = "Lucía"
user.save()
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
sections = list(Section.objects.published().in_course_order())
topics = list(
    Topic.objects.published().select_related("section")
    .order_by("section__part__order", "section__order", "order")
)
# The section with the most topics, half of them marked; a few more elsewhere in the course.
section = max(sections, key=lambda s: sum(t.section_id == s.pk for t in topics))
in_section = [t for t in topics if t.section_id == section.pk]
statuses = [Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.SKIPPED]
marked = in_section[: len(in_section) // 2] + topics[:: max(1, len(topics) // 8)]
for index, topic in enumerate(dict.fromkeys(marked)):
    progress_set_status(user=user, topic=topic, status=statuses[index % len(statuses)])
topic = in_section[0]
Note.objects.create(
    user=user, topic=topic,
    body="Mi nota: **LoRA** congela los pesos y entrena dos matrices chicas.\\n\\n"
    "- rango `r` = 8\\n- `alpha` = 16\\n\\n"
    "```python\\nmodel = get_peft_model(model, config)\\n```\\n",
)
print(json.dumps({{"section": section.get_absolute_url(), "topic": topic.get_absolute_url()}}))
"""


@dataclass
class Page:
    id: str
    label: str
    path: str
    signed_in: bool


def pages_for(data: dict) -> list[Page]:
    return [
        Page("home-anon", "`/` anónimo", HOME, False),
        Page("home", "`/` con sesión", HOME, True),
        Page("section", "sección con sesión", data["section"], True),
        Page("topic", "tema con sesión y nota", data["topic"], True),
        Page("progress", "Mi progreso", MY_PROGRESS, True),
    ]


ALL_PAGES = ["home-anon", "home", "section", "topic", "progress"]

# Audits that may cost points for a reason the site keeps on purpose: printed next to the score.
KNOWN_REASONS = {
    "bf-cache": (
        "las páginas con sesión llevan `Cache-Control: private, no-store` (datos de una persona, "
        "ver «Seguridad»), lo que impide la caché atrás/adelante; no pesa en el puntaje"
    ),
}
# =================================================================================================


def prepare(tmp: Path) -> tuple[dict, dict, str]:
    """A throwaway database with the course and the learner; production settings over http."""
    env = project_environment(f"sqlite:///{tmp / 'lighthouse.sqlite3'}")
    for name in ("REDIS_URL", "CACHE_URL", "EMAIL_HOST"):
        env.pop(name, None)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        CACHE_URL="db://curso_cache",  # production's default without Redis
        STATIC_ROOT=str(tmp / "static"),
        ALLOWED_HOSTS="127.0.0.1",
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_course")
    password = secrets.token_urlsafe(18)
    code = SETUP.format(email=LEARNER_EMAIL, password=password)
    data = json.loads(manage(env, "shell", "-v", "0", "-c", code).strip().splitlines()[-1])
    return env, data, password


def lighthouse(url: str, desktop: bool, headers: Path | None, tmp: Path, name: str) -> dict:
    output = tmp / f"{name}.json"
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if desktop:
        command.append("--preset=desktop")
    if headers:
        command.append(f"--extra-headers={headers}")  # a file: the cookie stays out of `ps`
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    for attempt in range(1, ATTEMPTS + 1):
        output.unlink(missing_ok=True)
        # Outside the repository: npx must not see (or touch) the project's package.json.
        result = subprocess.run(
            command, cwd=tmp, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS
        )
        report = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
        if not result.returncode and report and not report.get("runtimeError"):
            break
        # On a busy machine Chromium sometimes loses the trace (NO_NAVSTART, NO_FCP): Lighthouse
        # itself says "run Lighthouse again".
        error = (report.get("runtimeError") or {}).get("message") or result.stderr[-3000:]
        if attempt == ATTEMPTS:
            raise RuntimeError(f"lighthouse falló {ATTEMPTS} veces con {url}:\n{error}")
        print(f"  lighthouse falló (intento {attempt}), se repite: {error.strip()[-300:]}")
    final = report.get("finalDisplayedUrl", url)
    if final != url:  # a signed-in page that sent us to the login would be audited in its place
        raise RuntimeError(f"{url} terminó en {final}: ¿se perdió la sesión?")
    return report


def score(report: dict, category: str) -> float | None:
    value = report["categories"][category]["score"]
    return None if value is None else float(value)


def failed_audits(report: dict, category: str, *, weighted: bool) -> list[dict]:
    """Audits of a category below 1: those that cost points (`weighted`), or the unweighted
    diagnostics that Lighthouse shows as failed (below 0.9: they never change the score)."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        value = audit.get("score")
        if value is None or audit.get("scoreDisplayMode") in {"manual", "notApplicable"}:
            continue
        if (ref["weight"] > 0) != weighted or value >= (1 if weighted else 0.9):
            continue
        found.append(
            {
                "id": ref["id"],
                "title": audit["title"],
                "score": value,
                "display": audit.get("displayValue", ""),
                "items": [
                    item["url"].rsplit("/", 1)[-1]
                    for item in (audit.get("details") or {}).get("items", [])
                    if isinstance(item, dict) and isinstance(item.get("url"), str)
                ],
            }
        )
    return found


def audit_page(page: Page, base: str, desktop: bool, headers: Path | None, tmp: Path, runs: int):
    reports = []
    for number in range(runs):
        name = f"{page.id}-{'desktop' if desktop else 'mobile'}-{number}"
        reports.append(
            lighthouse(base + page.path, desktop, headers if page.signed_in else None, tmp, name)
        )
    performance = [score(r, "performance") or 0 for r in reports]
    return reports[performance.index(statistics.median_low(performance))]


def format_score(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" + ("" if value >= TARGET else " ❌")


def markdown(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'").replace("\xa0", " ")


def leading_number(text: str) -> float:
    found = re.search(r"\d[\d.,]*", text)
    return float(found.group().replace(",", "")) if found else 0.0


def format_audit(audit: dict) -> str:
    details = [f"{audit['score']:.2f}"] if 0 < audit["score"] < 1 else []
    if audit["display"]:
        details.append(markdown(audit["display"]))
    text = markdown(audit["title"])
    return f"{text} ({', '.join(details)})" if details else text


def table(rows: list[tuple[Page, str, dict]], runs: int, version: str, headers: dict) -> str:
    lines = [
        f"### Lighthouse {version} — gunicorn 2 workers, DEBUG off, SQLite, Chromium de Debian",
        "",
        f"Máquina: {machine()}. "
        f"Fecha: {time.strftime('%Y-%m-%d %H:%M %Z')}. "
        + (f"{runs} corridas por página: la de rendimiento mediano. " if runs > 1 else "")
        + "Móvil: la emulación por defecto de Lighthouse (Moto G Power, 4G lenta simulada, CPU 4× "
        "más lenta); escritorio: `--preset=desktop`. Objetivo: ≥ 0.95 en cada categoría. «CPU»: el "
        "benchmarkIndex que Lighthouse mide en cada corrida (más es más rápido; con la máquina "
        "ocupada baja, y el Total Blocking Time sube con tareas del navegador que no son de la "
        "página).",
        "",
        "| página | formato | "
        + " | ".join(CATEGORY_LABELS[c] for c in CATEGORIES)
        + " | CPU | auditorías que restan puntos |",
        "| --- | --- | " + " | ".join("---:" for _ in CATEGORIES) + " | ---: | --- |",
    ]
    reasons, diagnostics = {}, {}
    for page, form, report in rows:
        lost = []
        for category in CATEGORIES:
            for audit in failed_audits(report, category, weighted=True):
                lost.append(f"{CATEGORY_LABELS[category]}: {format_audit(audit)}")
                if audit["id"] in KNOWN_REASONS:
                    reasons[audit["id"]] = KNOWN_REASONS[audit["id"]]
            for audit in failed_audits(report, category, weighted=False):
                seen = diagnostics.setdefault(audit["id"], {**audit, "where": [], "values": []})
                seen["where"].append(f"{page.label} ({form})")
                seen["values"].append(markdown(audit["display"]))
                seen["items"] = sorted(set(seen["items"]) | set(audit["items"]))
                if audit["id"] in KNOWN_REASONS:
                    reasons[audit["id"]] = KNOWN_REASONS[audit["id"]]
        scores = " | ".join(format_score(score(report, c)) for c in CATEGORIES)
        cpu = f"{report['environment'].get('benchmarkIndex') or 0:.0f}"
        lines.append(f"| {page.label} | {form} | {scores} | {cpu} | {'; '.join(lost) or '—'} |")
    if diagnostics:
        lines += ["", "Diagnósticos sin peso que Lighthouse marca (no cambian el puntaje):", ""]
        for audit in diagnostics.values():
            where = (
                "todas las corridas"
                if len(audit["where"]) == len(rows)
                else ", ".join(audit["where"])
            )
            values = sorted({value for value in audit["values"] if value}, key=leading_number)
            if len(values) > 2:
                values = [values[0], values[-1]]
            extra = f"; {' … '.join(values)}" if values else ""
            files = f" — {', '.join(audit['items'][:4])}" if audit["items"] else ""
            lines.append(f"- {markdown(audit['title'])}{files}: {where}{extra}.")
    lines += ["", "Cabeceras de cada página (caché e indexación):", ""]
    lines += [f"- {label}: `{value}`" for label, value in headers.items()]
    if reasons:
        lines += ["", "Puntos que no se recuperan a propósito:", ""]
        lines += [f"- `{audit_id}`: {reason}." for audit_id, reason in reasons.items()]
    return "\n".join(lines) + "\n"


def page_headers(base: str, page: Page, cookie: str) -> str:
    """The headers that decide caching and indexing, as the server sends them."""
    request = urllib.request.Request(base + page.path, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        wanted = ("Cache-Control", "X-Robots-Tag")
        return ", ".join(f"{name}: {response.headers.get(name) or '(no)'}" for name in wanted)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="corridas por página (la mediana)")
    parser.add_argument("--pages", default=",".join(ALL_PAGES), help=", ".join(ALL_PAGES))
    parser.add_argument("--form-factors", default="mobile,desktop", help="mobile, desktop")
    parser.add_argument("--output", type=Path, default=RESULTS, help="dónde escribir la tabla")
    parser.add_argument("--reports", type=Path, help="guardar acá los informes JSON de Lighthouse")
    args = parser.parse_args()
    wanted = [name.strip() for name in args.pages.split(",") if name.strip()]
    if unknown := set(wanted) - set(ALL_PAGES):
        parser.error(f"páginas desconocidas: {', '.join(sorted(unknown))}")
    forms = [name.strip() for name in args.form_factors.split(",") if name.strip()]
    if set(forms) - {"mobile", "desktop"} or not forms:
        parser.error("--form-factors: mobile, desktop o ambos")
    if args.runs < 1:
        parser.error("--runs debe ser al menos 1")
    if not shutil.which("npx"):
        print("Falta Node.js con npx (apt-get install -y nodejs npm).", file=sys.stderr)
        return 2
    if not Path(CHROME_PATH).exists():
        print(f"Falta Chromium en {CHROME_PATH} (apt-get install -y chromium).", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="curso-lighthouse-") as directory:
        tmp = Path(directory)
        print("Preparando la base, los estáticos y la aprendiz…", flush=True)
        env, data, password = prepare(tmp)
        server = start_server("lighthouse", PROJECT_WSGI, PROJECT_READY, env)
        try:
            session = log_in(server.base, LEARNER_EMAIL, password)
            headers_file = tmp / "headers.json"
            headers_file.write_text(json.dumps({"Cookie": session.cookie}), encoding="utf-8")
            headers_file.chmod(0o600)
            pages = [page for page in pages_for(data) if page.id in wanted]
            seen_headers = {}
            for page in pages:
                cookie = session.cookie if page.signed_in else ""
                for _ in range(WARM_UP_REQUESTS):  # 200 itself, and both workers have rendered it
                    check_page(server.base + page.path, cookie)
                seen_headers[page.label] = page_headers(server.base, page, cookie)
            version = subprocess.run(
                ["npx", "--yes", LIGHTHOUSE, "--version"], cwd=tmp, capture_output=True, text=True
            ).stdout.strip()
            rows = []
            for page in pages:
                for form in forms:
                    print(f"Lighthouse {version}: {page.label}, {FORM_LABELS[form]}…", flush=True)
                    report = audit_page(
                        page, server.base, form == "desktop", headers_file, tmp, args.runs
                    )
                    rows.append((page, FORM_LABELS[form], report))
            # Signed-in runs share one headers file, and Mi progreso without the cookie ends at the
            # login (lighthouse() refuses that run): the cookie reached the browser. It still works:
            check_page(server.base + MY_PROGRESS, session.cookie)
        finally:
            server.stop()
        if args.reports:
            args.reports.mkdir(parents=True, exist_ok=True)
            for report in tmp.glob("*-*-*.json"):
                shutil.copy(report, args.reports / report.name)

    result = table(rows, args.runs, version, seen_headers)
    args.output.write_text(result, encoding="utf-8")
    print(result, flush=True)
    below = [
        (page.label, form, c)
        for page, form, report in rows
        for c in CATEGORIES
        if (score(report, c) or 0) < TARGET
    ]
    if below:
        print(f"{len(below)} puntajes por debajo de {TARGET}.", file=sys.stderr)
        return 1
    print(f"Todos los puntajes ≥ {TARGET}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
