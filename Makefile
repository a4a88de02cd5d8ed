# The shop's commands. `make` alone lists them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Production-style variables for `make check`: throwaway values, never a real secret.
# (`make check EMAIL_URL=` shows what production does without a mail server: it stops.)
EMAIL_URL ?= smtp://127.0.0.1:25
DEPLOY_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789 \
	DJANGO_ALLOWED_HOSTS=shop.example.com DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 \
	DEFAULT_FROM_EMAIL=care@shop.example.com EMAIL_URL=$(EMAIL_URL) SHOP_DOMAIN=shop.example.com SHOP_RESPONSIBLE_PERSON=check SHOP_BANK_ACCOUNT_NAME=check \
	SHOP_BANK_SORT_CODE=00-00-00 SHOP_BANK_ACCOUNT_NUMBER=00000000 SHOP_BANK_IBAN=check SHOP_BANK_BIC=check

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
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo_store
	$(BIN)/python manage.py collectstatic --noinput -v0

run: setup ## Set up everything and serve the demo shop at http://127.0.0.1:$(PORT)/, with its task worker
	@echo "Serving the shop at http://127.0.0.1:$(PORT)/ with its task worker (Ctrl-C stops both)"
	SHOP_PORT=$(PORT) $(BIN)/honcho start -f Procfile.dev

serve: install ## Serve production-style (gunicorn + task worker, DEBUG off); settings from the environment or .env
	DJANGO_DEBUG=false $(BIN)/python manage.py check
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput -v0
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=false SHOP_PORT=$(PORT) $(BIN)/honcho start -f Procfile

test: install ## Run the whole test suite (DATABASE_URL picks SQLite or PostgreSQL)
	$(BIN)/pytest

lint: install ## ruff: lint and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Migrations up to date, and Django's deployment checks with production settings
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install ## Measure the product page under concurrent load (see README)
	$(BIN)/python -m shop.bench

clean: ## Remove the virtualenv, the SQLite database, media and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles
