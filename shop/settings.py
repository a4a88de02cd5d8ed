"""Settings for the Magnesium Body Cream shop.

One module for development, CI and production; everything that differs comes
from the environment (or a local `.env`, see `.env.example`). With no
environment at all it runs the development shop on the embedded SQLite file.
"""

from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from oscar.defaults import *

from shop.order import status as order_status

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def required(name: str) -> str:
    """Production settings have no defaults: say which variable is missing and why."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. With DJANGO_DEBUG=false the shop runs production-style "
            f"and reads {name} from the environment (see .env.example)."
        )
    return value


def placeholder_or_required(name: str, placeholder: str) -> str:
    """The demo's placeholder in development; in production the real value, or stop.

    Shoppers must never be told to pay into a placeholder account.
    """
    return (env.str(name, default="") or placeholder) if DEBUG else required(name)


if DEBUG:
    # Development only: a fixed key is fine because DEBUG never runs in production.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
else:
    SECRET_KEY = required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = required("DJANGO_ALLOWED_HOSTS").split(",")
    DATABASE_URL = required("DATABASE_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "shop.stock.apps.StockConfig",
    "shop.pagecache.apps.PagecacheConfig",
    "shop.apps.ShopConfig",
    "shop.ingredient.apps.IngredientDashboardConfig",
    "shop.blog.apps.BlogConfig",
    "shop.seo.apps.SeoConfig",
    "shop.mail.apps.MailConfig",
    "shop.job.apps.JobConfig",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # A product view writes a counter. In SQLite's default (deferred) mode a
    # read transaction that later writes fails at once with "database is
    # locked" when another writer holds the lock; IMMEDIATE takes the lock at
    # BEGIN so concurrent requests wait (up to `timeout` seconds) instead.
    # WAL lets readers go on while one request writes.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
    _db["CONN_HEALTH_CHECKS"] = True
# Oscar's recommendation: a view either completes or changes nothing.
_db["ATOMIC_REQUESTS"] = True

# Chosen once, before the first migration; Oscar's migrations read it.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Cache and sessions ---------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole storefront pages (shop/pagecache): in each process's own memory, so a
# deploy starts empty; freshness comes from the database's revision, not expiry.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 200},
}

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Locale ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# One language: Oscar's header then shows no language selector (which renders
# Django's ~100 languages on every page).
LANGUAGES = [("en-gb", "British English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Product images are uploaded files, which whitenoise does not serve. A single
# server (the demo, `make serve`) serves them itself; a bigger deployment turns
# this off and lets the web server or a bucket do it.
SHOP_SERVE_MEDIA = env.bool("SHOP_SERVE_MEDIA", default=DEBUG)

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Off only where TLS is not in front of the shop at all (a local `make serve`).
    _https = env.bool("DJANGO_HTTPS", default=True)
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=_https)
    SESSION_COOKIE_SECURE = _https
    CSRF_COOKIE_SECURE = _https
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        # Only when the proxy in front sets X-Forwarded-Proto itself.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- E-mail ---------------------------------------------------------------
# Every e-mail is written to the outbox in the transaction of the change that causes it and
# delivered by the task worker (shop/mail): no request ever talks to the mail server.
EMAIL_BACKEND = "shop.mail.backends.TaskQueueBackend"
# How the worker delivers: EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587.
# Required in production (a shop that silently prints its e-mails loses them); development
# prints them on the console of `make run`.
_email = env.email_url_config(placeholder_or_required("EMAIL_URL", "consolemail://"))
SHOP_EMAIL_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND")
vars().update(_email)
DEFAULT_FROM_EMAIL = placeholder_or_required("DEFAULT_FROM_EMAIL", "care@example.com")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# A failed delivery is tried again after each of these (seconds), then marked failed for staff.
SHOP_EMAIL_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 60 * 60, 12 * 60 * 60]
# A delivery still "sending" after this long was interrupted (a worker killed): queue it again.
SHOP_EMAIL_STALE_AFTER = env.int("SHOP_EMAIL_STALE_AFTER", default=10 * 60)
# The host name in links of e-mails (order status, password reset, alerts): the Sites
# framework's domain, set from this at every `migrate`.
SHOP_DOMAIN = placeholder_or_required("SHOP_DOMAIN", "127.0.0.1:8000")

# --- Background tasks -----------------------------------------------------
# django-tasks (the backport of Django 6.0's django.tasks) with its database backend: a task
# enqueued in a transaction commits or rolls back with it. `manage.py run_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Timed jobs, each run once per period by one of the workers (shop/job/services.py).
SHOP_JOBS = {
    "email-recover": {"job": "shop.mail.services.emails_recover", "every": 5 * 60},
    "session-clear": {"job": "shop.job.jobs.sessions_clear", "every": 60 * 60},
    "basket-clear": {"job": "shop.job.jobs.baskets_clear_abandoned", "every": 60 * 60},
    "task-results-prune": {"job": "shop.job.jobs.task_results_prune", "every": 24 * 60 * 60},
    # Daily at 07:00 UTC.
    "low-stock-digest": {
        "job": "shop.stock.alerts.low_stock_digest",
        "every": 24 * 60 * 60,
        "offset": 7 * 60 * 60,
    },
}
SHOP_JOB_RETRY_DELAYS = [60, 10 * 60]
SHOP_SCHEDULER_INTERVAL = env.float("SHOP_SCHEDULER_INTERVAL", default=5)
SHOP_TASK_RESULTS_DAYS = 14
# Guests' open baskets are deleted this long (seconds) after their basket cookie expired.
SHOP_ABANDONED_BASKET_GRACE = 24 * 60 * 60

CSRF_FAILURE_VIEW = "shop.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Oscar ----------------------------------------------------------------
OSCAR_SHOP_NAME = env.str("OSCAR_SHOP_NAME", default="Magnesium Body Cream")
OSCAR_SHOP_TAGLINE = "A doctor-formulated magnesium cream for deep muscle tension"
OSCAR_HOMEPAGE = reverse_lazy("home")
OSCAR_DEFAULT_CURRENCY = "GBP"
OSCAR_CURRENCY_FORMAT = {"GBP": {"currency_digits": False, "format_type": "standard"}}
OSCAR_ALLOW_ANON_CHECKOUT = True
# Links in e-mails (the site's domain comes from the Sites framework).
OSCAR_URL_SCHEMA = "http" if DEBUG else "https"
# One product in five fragrances: reviews and wish lists would only add noise
# (and reviews would let shoppers publish health claims under the product).
OSCAR_HIDDEN_FEATURES = ["reviews", "wishlists"]
OSCAR_THUMBNAILER = "shop.thumbnails.WebPThumbnailer"
# A missing or broken image must never break a page, in development too.
OSCAR_THUMBNAIL_DEBUG = False
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"

# Bank transfer: an order waits for its money, then ships. Stock is held from
# the moment the order is placed (see shop/stock/services.py).
OSCAR_INITIAL_ORDER_STATUS = order_status.PENDING_PAYMENT
OSCAR_INITIAL_LINE_STATUS = order_status.PENDING_PAYMENT
OSCAR_ORDER_STATUS_PIPELINE = order_status.PIPELINE
# A line's status is its order's, set by the order's event handler with the
# stock it holds (shop/order/processing.py). No line moves on its own: Oscar's
# order page would set a line Shipped or Cancelled without touching its stock.
OSCAR_LINE_STATUS_PIPELINE = {}
OSCAR_ORDER_STATUS_CASCADE = {}
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 50
# Our own dashboard pages, beside Oscar's.
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,
    {
        "label": "E-mails sent",
        "icon": "fas fa-envelope",
        "url_name": "mail-dashboard:email-list",
    },
    {
        "label": "Stock",
        "icon": "fas fa-boxes",
        "url_name": "stock-dashboard:stock-list",
    },
    {
        "label": "Ingredients",
        "icon": "fas fa-flask",
        "children": [
            {"label": "Ingredients", "url_name": "ingredient-dashboard:ingredient-list"},
            {"label": "Labels", "url_name": "ingredient-dashboard:label-list"},
        ],
    },
]

HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"},
}
# The simple backend keeps no index, so there is nothing to update on save.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- The shop's own facts (STORE.md); placeholders to be confirmed ---------
SHOP_VAT_RATE = Decimal(env.str("SHOP_VAT_RATE", default="0.20"))
SHOP_RESPONSIBLE_PERSON = placeholder_or_required(
    "SHOP_RESPONSIBLE_PERSON",
    "Magnesium Body Cream Ltd, 1 Example Street, London, EC1A 1AA, "
    "United Kingdom, care@example.com",
)
# Delivery (STORE.md, placeholders): prices include VAT.
SHOP_DELIVERY_METHODS = [
    {
        "code": "uk-standard",
        "name": "UK Standard",
        "description": "2–4 working days",
        "charge": "3.95",
        "free_from": "35.00",
    },
    {
        "code": "uk-express",
        "name": "UK Express",
        "description": "Next working day",
        "charge": "6.95",
        "free_from": None,
    },
]
# Payment by bank transfer (placeholders until the owner confirms them).
SHOP_BANK_DETAILS = {
    "account_name": placeholder_or_required("SHOP_BANK_ACCOUNT_NAME", "Magnesium Body Cream Ltd"),
    "sort_code": placeholder_or_required("SHOP_BANK_SORT_CODE", "00-00-00"),
    "account_number": placeholder_or_required("SHOP_BANK_ACCOUNT_NUMBER", "00000000"),
    "iban": placeholder_or_required("SHOP_BANK_IBAN", "GB00 EXMP 0000 0000 0000 00"),
    "bic": placeholder_or_required("SHOP_BANK_BIC", "EXMPGB2L"),
}
# On every fragrance's page and pack.
SHOP_PACK_SIZE = env.str("SHOP_PACK_SIZE", default="100 ml")
SHOP_PERIOD_AFTER_OPENING_MONTHS = env.int("SHOP_PERIOD_AFTER_OPENING_MONTHS", default=12)
SHOP_WARNINGS = [
    "For external use only.",
    "Avoid contact with eyes, broken or irritated skin.",
    "A mild warmth or tingling is normal; stop using it if irritation persists.",
    "Not to be used for children under 3 years of age (salicylic acid).",
    "Keep out of reach of children.",
]
# Staff get one e-mail each time a variant falls to its low-stock threshold.
SHOP_STOCK_ALERT_EMAIL = env.str("SHOP_STOCK_ALERT_EMAIL", default="stock@example.com")
# Back-in-stock e-mails are sent by the stock services when a sold-out variant
# can be bought again (restock or a cancelled order), not by Oscar on every
# stock record save.
OSCAR_EAGER_ALERTS = False
SHOP_DEMO_STAFF_EMAIL = env.str("SHOP_DEMO_STAFF_EMAIL", default="staff@example.com")
# The demo loader creates a staff login only where this is known: in
# development a fixed demo password, in production only when it is set.
SHOP_DEMO_STAFF_PASSWORD = env.str(
    "SHOP_DEMO_STAFF_PASSWORD", default="magnesium-demo" if DEBUG else ""
)

# --- The guide (shop/blog) -------------------------------------------------
# Every guide page notes that it is educational, linking to this article; the
# product page's safety notes link to it too.
BLOG_MEDICAL_ARTICLE_SLUG = "when-ql-muscle-pain-needs-medical-attention"
