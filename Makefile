# The shop's commands. `make` alone lists them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make serve`: nginx on PORT, the two app servers on the next two ports.
WEB1_PORT = $(shell echo $$(($(PORT) + 1)))
WEB2_PORT = $(shell echo $$(($(PORT) + 2)))
SERVE_DIR := $(CURDIR)/.serve
NGINX := /usr/sbin/nginx
# Production-style variables for `make check`: throwaway values, never a real secret.
# (`make check EMAIL_URL=` shows what production does without a mail server: it stops.)
EMAIL_URL ?= smtp://127.0.0.1:25
DEPLOY_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789 \
	DJANGO_ALLOWED_HOSTS=shop.example.com DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 \
	DEFAULT_FROM_EMAIL=care@shop.example.com EMAIL_URL=$(EMAIL_URL) SHOP_DOMAIN=shop.example.com SHOP_RESPONSIBLE_PERSON=check SHOP_BANK_ACCOUNT_NAME=check \
	SHOP_BANK_SORT_CODE=12-34-56 SHOP_BANK_ACCOUNT_NUMBER=12345678 SHOP_BANK_IBAN=check SHOP_BANK_BIC=check \
	SHOP_TRADER_NAME=check SHOP_TRADER_COMPANY_NUMBER=check SHOP_TRADER_ADDRESS=check \
	SHOP_TRADER_VAT_NUMBER=check SHOP_TRADER_EMAIL=check@shop.example.com SHOP_TRADER_PHONE=check
# Without DJANGO_DEBUG the shop is production: the development commands say so.
DEV := DJANGO_DEBUG=true

.DEFAULT_GOAL := help
.PHONY: help install setup run serve test lint format check bench clean

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found; PYTHON=... make ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check ".[dev]"
	@touch $@

install: $(BIN)/.installed ## Create .venv with the pinned dependencies of pyproject.toml

setup: install ## Migrate the database, load the demo store, collect static files
	$(DEV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEV) $(BIN)/python manage.py load_demo_store
	$(DEV) $(BIN)/python manage.py collectstatic --noinput -v0

run: setup ## Set up everything and serve the demo shop at http://127.0.0.1:$(PORT)/, with its task worker
	@echo "Serving the shop at http://127.0.0.1:$(PORT)/ with its task worker (Ctrl-C stops both)"
	$(DEV) SHOP_PORT=$(PORT) $(BIN)/honcho start -f Procfile.dev

serve: install ## Production-style: nginx on PORT, two gunicorn app servers, a task worker (Ctrl-C stops all)
	@test -x $(NGINX) || { echo "make serve runs nginx in front of the app servers: apt-get install nginx"; exit 1; }
	DJANGO_DEBUG=false $(BIN)/python manage.py check
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput -v0
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python deploy/render.py --standalone --run-dir $(SERVE_DIR) --listen 127.0.0.1:$(PORT) \
		--app 127.0.0.1:$(WEB1_PORT) --app 127.0.0.1:$(WEB2_PORT) --server-name "127.0.0.1 localhost"
	@echo "Serving the shop at http://127.0.0.1:$(PORT)/ through nginx (Ctrl-C stops everything)"
	DJANGO_DEBUG=false SERVE_DIR=$(SERVE_DIR) WEB1_PORT=$(WEB1_PORT) WEB2_PORT=$(WEB2_PORT) \
		$(BIN)/honcho --procfile deploy/Procfile --app-root $(CURDIR) start

test: install ## Run the whole test suite (DATABASE_URL picks SQLite or PostgreSQL)
	$(DEV) $(BIN)/pytest

lint: install ## ruff: lint and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Migrations up to date, and Django's deployment checks with production settings
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install ## Measure the shop against the framework's ceiling, on SQLite and PostgreSQL (see README)
	$(BIN)/python -m bench

clean: ## Remove the virtualenv, the SQLite database, media and collected static files
	rm -rf $(VENV) $(SERVE_DIR) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles
