#!/usr/bin/env bash
# Security scan (not a test, not part of `make test`): wapiti against gunicorn with production
# settings, anonymous and signed in; fails if the server answered any 5xx. See --help.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="$ROOT/.venv/bin/python"
GUNICORN="$ROOT/.venv/bin/gunicorn"
SCAN_VENV="$ROOT/bench/.venv-scan"
WAPITI="$SCAN_VENV/bin/wapiti"
WAPITI_VERSION="${WAPITI_VERSION:-3.3.2}"

# Time limits (seconds), overridable from the environment.
SCAN_CRAWL_SECONDS="${SCAN_CRAWL_SECONDS:-60}"    # wapiti --max-scan-time (the crawl)
SCAN_ATTACK_SECONDS="${SCAN_ATTACK_SECONDS:-30}"  # wapiti --max-attack-time (each module)
SCAN_RUN_LIMIT="${SCAN_RUN_LIMIT:-540}"           # hard limit for one wapiti run (timeout)
# Default modules minus ssl (plain http here), plus a few cheap ones that fit a web app.
SCAN_MODULES="${SCAN_MODULES:-common,-ssl,csrf,methods,crlf}"
SCAN_DB_NAME="${SCAN_DB_NAME:-curso_scan}"
SCAN_REDIS_DB="${SCAN_REDIS_DB:-12}"

usage() {
    cat <<EOF
Uso: bench/scan.sh [--postgres] [--redis] [--only anonymous|signed] [--output DIR]

Escanea curso con wapiti ($WAPITI_VERSION) contra gunicorn con la configuración de producción
(2 workers, DEBUG=0, SECRET_KEY generada, ALLOWED_HOSTS=127.0.0.1, estáticos con collectstatic
en un directorio temporal) sobre una base de datos descartable con el curso cargado y una
aprendiz con progreso y una nota. Corre wapiti dos veces: anónimo y con la sesión de la aprendiz
(cookie -C, excluyendo el logout y el borrado de cuenta para que la sesión sobreviva).
Después cuenta en el log de acceso de gunicorn los pedidos, los 4xx y los 5xx por ruta, y en el
log de errores los Traceback/ERROR. Sale con 1 si hubo algún 5xx (o un worker de gunicorn
matado por timeout en medio de un pedido).
No es parte de make test.

Opciones:
  --postgres        PostgreSQL en vez de SQLite: crea y al final borra la base $SCAN_DB_NAME en
                    el servidor de DATABASE_URL (por defecto postgres://postgres@127.0.0.1:5432).
                    De DATABASE_URL solo se usa el servidor, nunca su base. Un DATABASE_URL
                    postgres:// en el entorno implica --postgres.
  --redis           caché compartida en Redis (redis://127.0.0.1:6379/$SCAN_REDIS_DB, se vacía
                    antes y después) en vez de la caché en la base (db://curso_cache +
                    createcachetable, el valor por defecto de producción).
  --only MODE       solo la pasada anonymous o signed.
  --output DIR      dónde dejar logs e informes (por defecto bench/scan-output/<base>-<fecha>/).
  -h, --help        esta ayuda.

Variables (segundos): SCAN_CRAWL_SECONDS=$SCAN_CRAWL_SECONDS (rastreo, --max-scan-time),
SCAN_ATTACK_SECONDS=$SCAN_ATTACK_SECONDS (cada módulo, --max-attack-time),
SCAN_RUN_LIMIT=$SCAN_RUN_LIMIT (tope duro de cada pasada). SCAN_MODULES=$SCAN_MODULES
(sintaxis de wapiti -m). SCAN_DB_NAME=$SCAN_DB_NAME (debe contener "scan").

Necesita: .venv del proyecto (make run/test lo crea), curl, un Python 3.12-3.14 para el venv de
wapiti (bench/.venv-scan, se crea solo), y para --postgres psql y el servidor local.
Deja en el directorio de salida: access.log, error.log, wapiti-<pasada>.{json,log}.
EOF
}

DB=sqlite
CACHE=db
ONLY=""
OUTPUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --postgres) DB=postgres ;;
        --redis) CACHE=redis ;;
        --only) ONLY="${2:?--only necesita anonymous o signed}"; shift ;;
        --output) OUTPUT="${2:?--output necesita un directorio}"; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "Opción desconocida: $1 (ver --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$ONLY" in "" | anonymous | signed) ;; *) echo "--only: anonymous o signed" >&2; exit 2 ;; esac
case "${DATABASE_URL:-}" in postgres://* | postgresql://*) DB=postgres ;; esac

log() { printf '\n== %s\n' "$*"; }

[ -x "$PYTHON" ] || { echo "Falta $PYTHON: corré 'make run' o 'make test' primero." >&2; exit 2; }
command -v curl >/dev/null || { echo "Falta curl." >&2; exit 2; }

# --- wapiti in its own virtualenv (its dependencies must not mix with the project's) -------------
ensure_wapiti() {
    if "$WAPITI" --version 2>/dev/null | grep -q "$WAPITI_VERSION"; then return; fi
    local python="" candidate root
    root="$(pyenv root 2>/dev/null || true)"
    for candidate in python3.13 python3.12 python3 "$root"/versions/3.13*/bin/python3 \
        "$root"/versions/3.12*/bin/python3; do
        if "$candidate" -c 'import sys; sys.exit(not (3, 12) <= sys.version_info < (3, 15))' \
            2>/dev/null; then
            python="$candidate"
            break
        fi
    done
    [ -n "$python" ] || { echo "wapiti $WAPITI_VERSION necesita Python 3.12-3.14." >&2; exit 2; }
    log "Instalando wapiti3==$WAPITI_VERSION en bench/.venv-scan con $python"
    "$python" -m venv "$SCAN_VENV"
    "$SCAN_VENV/bin/python" -m pip install --quiet "wapiti3==$WAPITI_VERSION"
}
ensure_wapiti

# --- scratch everything, cleaned up on exit ------------------------------------------------------
STAMP="$(date +%Y%m%d-%H%M%S)"
OUTPUT="${OUTPUT:-$ROOT/bench/scan-output/$DB-$STAMP}"
mkdir -p "$OUTPUT"
OUTPUT="$(cd "$OUTPUT" && pwd)"
TMP="$(mktemp -d /tmp/curso-scan.XXXXXX)"
ACCESS_LOG="$OUTPUT/access.log"
ERROR_LOG="$OUTPUT/error.log"
: >"$ACCESS_LOG"
: >"$ERROR_LOG"
GUNICORN_PID=""
PG_ADMIN_URL=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    if [ -n "$PG_ADMIN_URL" ]; then
        psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$SCAN_DB_NAME\" WITH (FORCE)" ||
            echo "No se pudo borrar la base $SCAN_DB_NAME" >&2
    fi
    if [ "$CACHE" = redis ]; then redis-cli -n "$SCAN_REDIS_DB" FLUSHDB >/dev/null || true; fi
    rm -rf "$TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- production settings over plain http (as bench/load.py does) ---------------------------------
export DJANGO_SETTINGS_MODULE=curso.settings
export DEBUG=0
SECRET_KEY="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export STATIC_ROOT="$TMP/static"
unset EMAIL_HOST REDIS_URL CACHE_URL  # console mail, and the cache chosen below

if [ "$DB" = postgres ]; then
    case "$SCAN_DB_NAME" in
        postgres | test | template0 | template1 | *[!a-z0-9_]*)
            echo "SCAN_DB_NAME=$SCAN_DB_NAME no es una base descartable válida." >&2; exit 2 ;;
        *scan*) ;;
        *) echo "SCAN_DB_NAME debe contener 'scan' (se borra al final)." >&2; exit 2 ;;
    esac
    server="$("$PYTHON" -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(f"{p.scheme}://{p.netloc}")' \
        "${DATABASE_URL:-postgres://postgres@127.0.0.1:5432}")"
    export DATABASE_URL="$server/$SCAN_DB_NAME"
    PG_ADMIN_URL="$server/postgres"  # only to CREATE/DROP the scratch database
    export PGOPTIONS="-c client_min_messages=warning"  # no NOTICE for DROP ... IF EXISTS
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$SCAN_DB_NAME\" WITH (FORCE)"
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE \"$SCAN_DB_NAME\""
else
    export DATABASE_URL="sqlite:///$TMP/scan.sqlite3"
fi
if [ "$CACHE" = redis ]; then
    export CACHE_URL="redis://127.0.0.1:6379/$SCAN_REDIS_DB"
    redis-cli -n "$SCAN_REDIS_DB" FLUSHDB >/dev/null
else
    export CACHE_URL=db://curso_cache
fi

manage() { (cd "$ROOT" && "$PYTHON" manage.py "$@"); }

log "Preparando la base ($DB, ${DATABASE_URL%%\?*}), caché $CACHE_URL"
manage migrate --noinput -v0
if [ "$CACHE" = db ]; then manage createcachetable; fi
manage collectstatic --noinput -v0
manage loaddata curso -v0

LEARNER_EMAIL="scan@example.com"
LEARNER_PASSWORD="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(18))')"
manage shell -v0 -c "
from allauth.account.models import EmailAddress
from accounts.models import User
from roadmap.models import Note, Status, Topic
from roadmap.learning.services import progress_set_status
user = User.objects.create_user('$LEARNER_EMAIL', '$LEARNER_PASSWORD')
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
statuses = [Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.SKIPPED]
topics = list(Topic.objects.order_by('pk')[:12])
for index, topic in enumerate(topics):
    progress_set_status(user=user, topic=topic, status=statuses[index % len(statuses)])
Note.objects.create(user=user, topic=topics[0], body='Nota de **prueba** con [un enlace](https://example.org).')
"

# --- gunicorn: 2 workers, access and error logs --------------------------------------------------
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
log "gunicorn en $BASE (logs en $OUTPUT)"
(
    cd "$ROOT"
    # Access log: status, seconds, raw request line (no spaces inside it), time.
    exec "$GUNICORN" curso.wsgi --workers 2 --bind "127.0.0.1:$PORT" --timeout 30 \
        --access-logfile "$ACCESS_LOG" --access-logformat '%(s)s %(L)s %(r)s %(t)s' \
        --error-logfile "$ERROR_LOG" --capture-output --no-control-socket
) >>"$ERROR_LOG" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do
    curl -sf -o /dev/null "$BASE/salud/" && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$ERROR_LOG"; echo "gunicorn no arrancó" >&2; exit 2; }
    sleep 0.2
done
curl -sf -o /dev/null "$BASE/salud/" || { echo "gunicorn no responde" >&2; exit 2; }

# --- a real sign-in through allauth's form (CSRF included) ---------------------------------------
# The CSRF secret lives in the session (CSRF_USE_SESSIONS): the token comes from the form.
cookie_of() { awk -v name="$1" '$6 == name { value = $7 } END { print value }' "$TMP/jar"; }
token="$(curl -sS -c "$TMP/jar" -b "$TMP/jar" "$BASE/accounts/login/" |
    sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1)"
code="$(curl -sS -c "$TMP/jar" -b "$TMP/jar" -o /dev/null -w '%{http_code}' \
    -H "Referer: $BASE/accounts/login/" --data-urlencode "login=$LEARNER_EMAIL" \
    --data-urlencode "password=$LEARNER_PASSWORD" \
    --data-urlencode "csrfmiddlewaretoken=$token" "$BASE/accounts/login/")"
SESSION_COOKIE="sessionid=$(cookie_of sessionid)"
if [ -n "$(cookie_of csrftoken)" ]; then SESSION_COOKIE+="; csrftoken=$(cookie_of csrftoken)"; fi
signed_in() {
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $SESSION_COOKIE" "$BASE/mi-progreso/")" = 200 ]
}
[ "$code" = 302 ] && signed_in || { echo "No se pudo iniciar sesión (login: $code)" >&2; exit 2; }
echo "Sesión de $LEARNER_EMAIL iniciada."

# --- wapiti ------------------------------------------------------------------------------------
PHASES=()  # "name first_line last_line" of the access log
phase_mark() { wc -l <"$ACCESS_LOG"; }

run_wapiti() {
    local name="$1"
    shift
    local first started
    first=$(($(phase_mark) + 1))
    started=$SECONDS
    log "wapiti: pasada $name (rastreo ≤ ${SCAN_CRAWL_SECONDS}s, cada módulo ≤ ${SCAN_ATTACK_SECONDS}s, tope ${SCAN_RUN_LIMIT}s)"
    # If a request fails, wapiti asks on stdin what to do: answer "c" (continue) forever.
    timeout --signal=INT --kill-after=30 "$SCAN_RUN_LIMIT" \
        "$WAPITI" -u "$BASE/" --scope folder -m "$SCAN_MODULES" \
        --max-scan-time "$SCAN_CRAWL_SECONDS" --max-attack-time "$SCAN_ATTACK_SECONDS" \
        -x "$BASE/accounts/logout/*" -x "$BASE/cuenta/eliminar/*" --skip csrfmiddlewaretoken \
        --flush-session --store-session "$TMP/wapiti-$name" --store-config "$TMP/wapiti-config" \
        -t 30 --no-bugreport -v 1 --log "$OUTPUT/wapiti-$name.log" \
        -f json -o "$OUTPUT/wapiti-$name.json" "$@" \
        < <(yes c) >"$OUTPUT/wapiti-$name.out" 2>&1 ||
        echo "wapiti terminó con código $? (ver $OUTPUT/wapiti-$name.out)"
    PHASES+=("$name $first $(phase_mark)")
    echo "pasada $name: $((SECONDS - started)) s"
}

[ "$ONLY" = signed ] || run_wapiti anonymous
if [ "$ONLY" != anonymous ]; then
    run_wapiti signed -C "$SESSION_COOKIE"
    if signed_in; then echo "La sesión sobrevivió al escaneo."; else
        echo "AVISO: la sesión ya no es válida al final de la pasada con sesión."; fi
fi

# --- summary -------------------------------------------------------------------------------------
sleep 1  # let gunicorn flush its logs
summarize() {  # $1 first line, $2 last line of the access log
    awk -v first="$1" -v last="$2" '
        NR < first || NR > last { next }
        {
            total++; status = $1; class = substr(status, 1, 1) "xx"; count[class]++
            if (class == "4xx") by4[status]++
            if (class == "5xx") { split($4, uri, "?"); paths[status " " $3 " " uri[1]]++ }
        }
        END {
            printf "  pedidos: %d  2xx: %d  3xx: %d  4xx: %d  5xx: %d\n", total,
                count["2xx"], count["3xx"], count["4xx"], count["5xx"]
            for (s in by4) printf "    %s: %d\n", s, by4[s]
            if (count["5xx"]) print "  5xx por ruta (cantidad, estado, método, ruta):"
            fflush()
            for (k in paths) printf "%7d %s\n", paths[k], k | "sort -rn | head -n 25"
        }' "$ACCESS_LOG"
}
wapiti_findings() {  # vulnerabilities and anomalies wapiti reported, by category
    [ -s "$1" ] || { echo "  (sin informe de wapiti)"; return; }
    "$SCAN_VENV/bin/python" - "$1" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
for section in ("vulnerabilities", "anomalies", "additionals"):
    found = {name: len(items) for name, items in report.get(section, {}).items() if items}
    print(f"  wapiti {section}: " + (", ".join(f"{k}: {v}" for k, v in found.items()) or "nada"))
EOF
}

log "Resumen ($DB, caché $CACHE) — $ACCESS_LOG"
for phase in "${PHASES[@]}"; do
    read -r name first last <<<"$phase"
    echo "Pasada $name (líneas $first-$last del log de acceso):"
    summarize "$first" "$last"
    wapiti_findings "$OUTPUT/wapiti-$name.json"
done
echo "Total (incluye la preparación y el login):"
summarize 1 "$(phase_mark)"
if grep -q "POST /accounts/logout/" "$ACCESS_LOG"; then echo "AVISO: wapiti envió el logout."; fi

tracebacks=$(grep -c '^Traceback' "$ERROR_LOG" || true)
errors=$(grep -cE '\bERROR\b|CRITICAL|^Internal Server Error' "$ERROR_LOG" || true)
timeouts=$(grep -c 'WORKER TIMEOUT' "$ERROR_LOG" || true)
# A sync worker killed while waiting for a request that never came (a client that opened a
# connection and sent nothing) is not the app's fault; killed inside a request, it is.
idle=$(grep -c 'Error handling request (no URI read)' "$ERROR_LOG" || true)
busy=$(grep -c 'Error handling request /' "$ERROR_LOG" || true)
echo "Log de errores ($ERROR_LOG): $tracebacks Traceback, $errors líneas ERROR/CRITICAL," \
    "$timeouts WORKER TIMEOUT ($idle esperando un pedido que no llegó, $busy dentro de un pedido)"
if [ "$tracebacks" -gt 0 ]; then
    echo "  Excepciones distintas (cantidad, rutas distintas, excepción, una ruta de ejemplo):"
    awk '
        /^(Internal Server Error|Service Unavailable|Bad Request|Forbidden): / { path = $NF }
        /Error handling request/ { path = $NF; sub(/^read\)$/, "(no URI read)", path) }
        /^Traceback/ { in_tb = 1; next }
        in_tb && (/^[ \t]/ || /^$/ || /^During handling/ || /^The above exception/) { next }
        in_tb {
            in_tb = 0; key = substr($0, 1, 200); gsub(/'"'"'[^'"'"']*'"'"'/, "…", key)
            n[key]++; if (!((key, path) in seen)) { seen[key, path] = 1; paths[key]++ }
            if (!(key in example)) example[key] = path
            path = "?"
        }
        END { for (k in n) printf "%7d %4d  %s  (%s)\n", n[k], paths[k], k, example[k] }
    ' "$ERROR_LOG" | sort -rn
fi

fivexx=$(awk '$1 ~ /^5/' "$ACCESS_LOG" | wc -l)
if [ "$fivexx" -gt 0 ] || [ "$busy" -gt 0 ]; then
    echo "FALLA: $fivexx respuestas 5xx, $busy workers muertos dentro de un pedido."
    exit 1
fi
echo "OK: ningún 5xx."
