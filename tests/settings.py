"""The shop's settings, changed for test speed and isolation only."""

import hashlib
import os
import tempfile
from pathlib import Path

# The tests run the development shop (production is the default without it).
os.environ.setdefault("DJANGO_DEBUG", "true")

from shop.settings import *  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The shop's own outbox and task queue, as in production; the worker's deliveries land in
# Django's test outbox, unless a test gives a worker process a real SMTP server (EMAIL_URL).
if "EMAIL_URL" not in os.environ:
    SHOP_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Worker processes started by tests run the timed jobs every few seconds.
if os.environ.get("SHOP_TEST_JOBS_EVERY"):
    for _job in SHOP_JOBS.values():
        _job.update(every=int(os.environ["SHOP_TEST_JOBS_EVERY"]), offset=0)
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="shop-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="shop-test-static-"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
SHOP_SERVE_MEDIA = True

if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):
    # A file, not Django's in-memory default: the live-server tests make real
    # concurrent connections, which is what WAL and IMMEDIATE are for. Named
    # after the checkout: the same file every run, so `pytest --reuse-db`
    # skips the migrations, and another checkout's suite runs beside this one.
    checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"shop-test-{checkout}.sqlite3")
    }

# Product views are written when a test flushes them (shop.analytics.views.flush),
# never by a thread that cannot see the test's uncommitted products.
SHOP_VIEW_FLUSH_SECONDS = 0
