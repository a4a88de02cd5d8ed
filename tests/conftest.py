import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection

REQUIRE_POSTGRES = os.environ.get("SHOP_REQUIRE_POSTGRES") == "1"
IN_CI = os.environ.get("CI") == "true"
CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    engine = settings.DATABASES["default"]["ENGINE"]
    # django-prometheus wraps Django's backends: its engine's name ends the same.
    postgres = engine.endswith(".postgresql")
    if REQUIRE_POSTGRES and not postgres:
        raise pytest.UsageError(
            "SHOP_REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL "
            f"(engine is {engine}). Set DATABASE_URL=postgres://..."
        )
    if not postgres:
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _database_is_reachable(django_db_setup, django_db_blocker):
    """With SHOP_REQUIRE_POSTGRES=1 a missing database is a failure, not a skip."""
    if REQUIRE_POSTGRES:
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql"
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")


@pytest.fixture(autouse=True)
def _oscar_test_factories_step_past_the_stock_guard(request, monkeypatch):
    """Oscar's own test factories (create_order, ProductFactory…) make stock records with
    stock by hand. That is test data, not shop code: they alone step past the database's
    guard (shop/stock/guard.py), which still refuses every other write — and theirs too in
    a module that sets OSCAR_FACTORIES_GUARDED (tests/stock/test_guard.py)."""
    if getattr(request.module, "OSCAR_FACTORIES_GUARDED", False):
        return
    import functools

    from oscar.test import factories
    from oscar.test.factories import partner

    from shop.stock.guard import stock_levels_writable

    def past_the_guard(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with stock_levels_writable():
                return function(*args, **kwargs)

        return wrapper

    create = partner.StockRecordFactory._create.__func__
    monkeypatch.setattr(partner.StockRecordFactory, "_create", classmethod(past_the_guard(create)))
    monkeypatch.setattr(
        factories, "create_stockrecord", past_the_guard(factories.create_stockrecord)
    )


@pytest.fixture(scope="session", autouse=True)
def _emails_go_through_the_queue(django_test_environment):
    """Django's test environment swaps EMAIL_BACKEND for its locmem outbox; the shop's tests
    keep the shop's own: every e-mail through the outbox and the task queue."""
    settings.EMAIL_BACKEND = "shop.mail.backends.TaskQueueBackend"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; CI fails when it is missing."""
    if not shutil.which(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own
    # ORM calls are still synchronous, so Django's async guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def run_ready_tasks() -> int:
    """Run every task that is ready, as `manage.py run_worker` does — django-tasks-db's own
    claim and run_task on the real queue tables — but in this process and this test's
    transaction (the worker's loop would close the test's connection). Returns how many."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with exclusive_transaction():
            task_result = DBTaskResult.objects.ready().get_locked()
            if task_result is None:
                return ran
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1


@pytest.fixture
def sent_emails(db):
    """`sent_emails()` delivers every queued e-mail through the task queue and returns
    Django's test outbox (the delivery backend in tests)."""
    from django.core import mail

    def deliver():
        run_ready_tasks()
        return mail.outbox

    return deliver


@pytest.fixture
def media(settings, tmp_path):
    """A fresh, empty media folder for the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from shop.thumbnails import _thumbnail

    _thumbnail.cache_clear()
    yield settings.MEDIA_ROOT
    _thumbnail.cache_clear()


@pytest.fixture
def reference_data(db):
    """The rows data migrations make (UK shipping country, bank transfer, order
    e-mails). Transactional tests flush the database between tests, taking them
    with them, and pytest-django's serialized_rollback does not bring them back
    reliably with a live server (pytest-django #1117): tests that check out in a
    transactional test ask for this."""
    from oscar.core.loading import get_model

    from shop import reference

    reference.ensure_uk(get_model("address", "Country"))
    reference.ensure_bank_transfer(get_model("payment", "SourceType"))
    reference.ensure_card(get_model("payment", "SourceType"))
    reference.ensure_order_emails(get_model("communication", "CommunicationEventType"))


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no stored pages and no views waiting to be written:
    test databases roll back, and a revision number or a product's id seen in
    one test can come back with other data in the next."""
    from django.core.cache import caches

    from shop.analytics import views

    caches["pages"].clear()
    views.discard()
    yield
    caches["pages"].clear()
    views.discard()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """Tests on `db` run inside a transaction that never commits. On PostgreSQL
    the page cache's revision triggers run at commit (shop/pagecache/revision.py);
    making them immediate here lets such a test see what a commit would."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS pagecache_bump IMMEDIATE")


@pytest.fixture
def stripe_server(settings):
    """The Stripe-compatible server on loopback (tests/payment/stripe_server.py), with the
    shop's Stripe keys and STRIPE_API_BASE pointing at it: card payments are on."""
    from tests.payment.stripe_server import FakeStripe

    server = FakeStripe()
    settings.STRIPE_SECRET_KEY = server.api_key
    settings.STRIPE_WEBHOOK_SECRET = server.webhook_secret
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_CHECKOUT_ORIGIN = server.url
    yield server
    server.close()


def _delivering_to(settings, server, *, timeout: float):
    """The shop's worker delivers through SMTP to `server` on 127.0.0.1, plain and
    unauthenticated, until the test ends and the server stops."""
    settings.SHOP_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        server.port,
        timeout,
    )
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a loopback port, which the test starts
    (`smtp.start()`) — until then nothing listens there, as when it is down. What it
    received: `smtp.sink.messages`, `smtp.sink.subjects()`."""
    from tests.servers import SMTPServer

    yield from _delivering_to(settings, SMTPServer(), timeout=2)


@pytest.fixture
def hanging_smtp(settings):
    """A mail server that accepts connections and never answers."""
    from tests.servers import HangingServer

    yield from _delivering_to(settings, HangingServer(), timeout=1)


@pytest.fixture
def count_queries(django_capture_on_commit_callbacks):
    """`count_queries(client, url)`: the SQL queries one page costs (asserted 200), its
    after-commit work (e-mails, counters) included, as in production."""
    from django.test.utils import CaptureQueriesContext

    def count(client, url) -> int:
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert client.get(url).status_code == 200
        return len(queries)

    return count


# The catalogue most tests need: the cream in the shop's five fragrances, with
# stock that shows every availability message (tests/factories.py FIVE_FRAGRANCES:
# Lavender 40, Rose 25, Clary Sage 4 (low), Jasmine 0 (sold out), Cypress & Fir 60;
# low-stock threshold 5). A module that needs more (an ingredient formula, a UPC)
# extends it with a fixture of the same name.
@pytest.fixture
def cream(media):
    from tests.factories import FIVE_FRAGRANCES, create_cream

    return create_cream(FIVE_FRAGRANCES)


def _fragrance(name):
    def fixture(cream):
        from tests.factories import variant

        return variant(cream, name)

    return fixture


lavender = pytest.fixture(_fragrance("Lavender"), name="lavender")
rose = pytest.fixture(_fragrance("Rose"), name="rose")
clary = pytest.fixture(_fragrance("Clary Sage"), name="clary")
jasmine = pytest.fixture(_fragrance("Jasmine"), name="jasmine")


class CountingHasher(MD5PasswordHasher):
    """Django's test hasher, counting how often a password is hashed."""

    count = 0

    def encode(self, password, salt):
        type(self).count += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.conftest.CountingHasher"]
    CountingHasher.count = 0
    return CountingHasher
