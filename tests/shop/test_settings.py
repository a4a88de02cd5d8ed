import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection

ROOT = django_settings.BASE_DIR


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHOP_"))}
    environment.pop("DATABASE_URL", None)
    environment.update(env, DJANGO_SETTINGS_MODULE="shop.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "shop.example.com",
    "DATABASE_URL": "sqlite:////tmp/never-opened.sqlite3",
    "DEFAULT_FROM_EMAIL": "care@shop.example.com",
    "EMAIL_URL": "smtp+tls://shop:secret@smtp.shop.example.com:587",
    "SHOP_DOMAIN": "shop.example.com",
    "SHOP_RESPONSIBLE_PERSON": "Shop Ltd, 1 Real Street, London",
    "SHOP_BANK_ACCOUNT_NAME": "Shop Ltd",
    "SHOP_BANK_SORT_CODE": "12-34-56",
    "SHOP_BANK_ACCOUNT_NUMBER": "12345678",
    "SHOP_BANK_IBAN": "GB00 REAL 1234 5612 3456 78",
    "SHOP_BANK_BIC": "REALGB2L",
    "SHOP_TRADER_NAME": "Shop Ltd",
    "SHOP_TRADER_COMPANY_NUMBER": "12345678",
    "SHOP_TRADER_ADDRESS": "1 Real Street, London, EC1A 1AA",
    "SHOP_TRADER_VAT_NUMBER": "GB 123 4567 89",
    "SHOP_TRADER_EMAIL": "care@shop.example.com",
    "SHOP_TRADER_PHONE": "+44 20 1234 5678",
}


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "SHOP_BANK_SORT_CODE",
        "SHOP_BANK_ACCOUNT_NUMBER",
        "SHOP_RESPONSIBLE_PERSON",
        "DEFAULT_FROM_EMAIL",
        "EMAIL_URL",
        "SHOP_DOMAIN",
        "SHOP_TRADER_COMPANY_NUMBER",
        "SHOP_TRADER_VAT_NUMBER",
    ],
)
def test_production_fails_fast_naming_the_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = manage("check", **env)

    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_deploy_checks_are_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_behind_a_proxy_the_deploy_check_asks_for_the_client_address_header():
    behind = {**PRODUCTION, "DJANGO_BEHIND_TLS_PROXY": "true"}

    without = manage("check", "--deploy", "--fail-level", "WARNING", **behind)
    with_header = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **behind,
        SHOP_CLIENT_ADDRESS_HEADER="HTTP_X_REAL_IP",
    )

    assert without.returncode != 0
    assert "shop.W001" in without.stderr
    assert with_header.returncode == 0, with_header.stderr


def test_make_check_fails_without_a_mail_server_in_production():
    environment = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "MAKEFLAGS")}

    result = subprocess.run(
        ["make", "--no-print-directory", "check", "EMAIL_URL="],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode != 0
    assert "EMAIL_URL is not set" in result.stderr


def test_production_sends_e_mail_through_the_queue_and_the_smtp_server():
    code = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.SHOP_EMAIL_DELIVERY_BACKEND, s.EMAIL_HOST, s.EMAIL_USE_TLS)"
    )

    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)

    assert result.stdout.split() == [
        "shop.mail.backends.TaskQueueBackend",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.shop.example.com",
        "True",
    ]


def test_https_redirect_can_be_switched_off_behind_a_tls_proxy():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_BEHIND_TLS_PROXY": "true"}

    result = manage("shell", "--no-imports", "-c", code, **env)

    assert result.stdout.split() == ["False", "('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_redis_url_moves_the_cache_to_redis_and_leaves_sessions_in_the_database():
    code = (
        "from django.conf import settings as s;"
        "c = s.CACHES['default'];"
        "print(c['BACKEND'], c['OPTIONS']['SOCKET_TIMEOUT'], c['OPTIONS']['IGNORE_EXCEPTIONS'],"
        " s.SESSION_ENGINE)"
    )

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    assert result.stdout.split() == [
        "shop.health.metrics.RedisCache",
        "0.2",
        "True",
        "django.contrib.sessions.backends.db",
    ]


def test_without_django_debug_the_shop_is_production():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_DEBUG"}
    code = "from django.conf import settings as s; print(s.DEBUG, s.SHOP_STAFF_TWO_FACTOR)"

    assert manage("shell", "--no-imports", "-c", code, **env).stdout.split() == ["False", "True"]
    # With nothing at all set, production stops at its first missing variable.
    assert "DJANGO_SECRET_KEY is not set" in manage("check").stderr


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("DJANGO_SECRET_KEY", "django-insecure-development-only"),
        ("SHOP_BANK_SORT_CODE", "00-00-00"),
        ("SHOP_BANK_ACCOUNT_NUMBER", "00000000"),
        ("SHOP_BANK_IBAN", "GB00 EXMP 0000 0000 0000 00"),
        ("DEFAULT_FROM_EMAIL", "care@example.com"),
        ("SHOP_DEMO_STAFF_PASSWORD", "magnesium-demo"),
    ],
)
def test_production_refuses_a_development_placeholder(name, placeholder):
    result = manage("check", **{**PRODUCTION, name: placeholder})

    assert result.returncode != 0
    assert f"{name} is the development placeholder" in result.stderr


@pytest.mark.django_db
def test_sqlite_is_set_up_for_concurrent_requests():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_keeps_persistent_checked_connections():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0]
