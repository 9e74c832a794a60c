# curso: `make run` serves the course on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python >= 3.12 that really runs (pyenv shims on PATH may refuse to).
define FIND_PYTHON
for p in python3.13 python3.12 python3; do \
  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    command -v $$p; exit 0; fi; done; \
root=$$(pyenv root 2>/dev/null); \
for p in $$root/versions/3.13*/bin/python3 $$root/versions/3.12*/bin/python3; do \
  if [ -x "$$p" ] && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    echo "$$p"; exit 0; fi; done
endef

.PHONY: help
help:
	@echo "make run        prepara .venv, migra, carga el curso y sirve http://$(HOST):$(PORT)/"
	@echo "                con el worker que envía los emails (a la consola) al lado; Ctrl-C corta los dos"
	@echo "make test       prepara .venv y corre todas las pruebas (las de navegador si hay Chromium)"
	@echo "make lint       ruff (lint + formato) y makemigrations --check"
	@echo "make fixture    regenera roadmap/fixtures/curso.json desde roadmap/catalog/content/curso.md"
	@echo "make superuser  crea una cuenta de administración"
	@echo "make messages   compila locale/es (voseo sobre las traducciones de Django y allauth)"
	@echo "make lighthouse Lighthouse 12 (npx, Chromium de Debian) en /, una sección, un tema y Mi"
	@echo "                progreso, móvil y escritorio; escribe bench/results-lighthouse.md"

$(VENV)/.installed: pyproject.toml
	@python="$$($(FIND_PYTHON))"; \
	if [ -z "$$python" ]; then \
	  echo "ERROR: curso necesita Python 3.12 o 3.13 (Django 6). Instalá python3.12/python3.13 o 'pyenv install 3.12'." >&2; \
	  exit 1; fi; \
	echo "Usando $$python"; \
	[ -x $(PY) ] || "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

.PHONY: venv
venv: $(VENV)/.installed

# Migrates and loads the course only into an empty database: admin edits survive every run.
.PHONY: setup
setup: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_course

# The compiled catalog is committed (serving needs no gettext); recompile after editing the .po.
.PHONY: messages
messages:
	msgfmt --check -o locale/es/LC_MESSAGES/django.mo locale/es/LC_MESSAGES/django.po

# Every email leaves through the task queue (curso/mail_queue.py): its worker runs beside the
# server and stops with it (Ctrl-C, or the server failing to start). No autoreload for the worker:
# it only sends what requests rendered; restart `make run` after changing curso/mail_queue.py.
.PHONY: run
run: setup
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm no está instalado: las pruebas de navegador no podrán inyectar axe-core." >&2; fi

.PHONY: test
test: venv
	@if [ -x /usr/bin/chromium ]; then \
	  $(MAKE) --no-print-directory node_modules/axe-core/axe.min.js; \
	else \
	  echo "AVISO: Chromium no está instalado (/usr/bin/chromium): se omiten las pruebas de navegador."; \
	  echo "       Instalalo con: sudo apt-get install -y chromium"; \
	fi
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: lint
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

.PHONY: fixture
fixture: venv
	rm -f /tmp/curso-fixture.sqlite3
	DATABASE_URL=sqlite:////tmp/curso-fixture.sqlite3 $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:////tmp/curso-fixture.sqlite3 $(PY) manage.py import_curso
	DATABASE_URL=sqlite:////tmp/curso-fixture.sqlite3 $(PY) manage.py dumpdata roadmap \
	  --exclude roadmap.contentversion --exclude roadmap.attachmentproposal \
	  --natural-foreign --natural-primary --indent 1 -o roadmap/fixtures/curso.json
	rm -f /tmp/curso-fixture.sqlite3

.PHONY: superuser
superuser: venv
	$(PY) manage.py createsuperuser

# 100,000 learners against ~100 on PostgreSQL (bench/scale.py; BENCH_ARGS="--runs 10" etc.).
.PHONY: bench-scale
bench-scale: venv
	$(PY) bench/scale.py $(BENCH_ARGS)

# Lighthouse (npx lighthouse@12, Debian's Chromium) on gunicorn with production settings: /, a
# section, a topic and Mi progreso, mobile and desktop (bench/lighthouse.py; LIGHTHOUSE_ARGS="--runs 3").
.PHONY: lighthouse
lighthouse: venv
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)
