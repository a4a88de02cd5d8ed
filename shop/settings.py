"""Settings for the Magnesium Body Cream shop.

One module for development, CI and production; everything that differs comes
from the environment (or a local `.env`, see `.env.example`). With no
environment at all it runs the development shop on the embedded SQLite file.
"""

from datetime import timedelta
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

# Production unless told otherwise: `make run`, `make setup` and the tests set
# DJANGO_DEBUG=true themselves (Makefile, tests/settings.py).
DEBUG = env.bool("DJANGO_DEBUG", default=False)


def required(name: str) -> str:
    """Production settings have no defaults: say which variable is missing and why."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. With DJANGO_DEBUG=false the shop runs production-style "
            f"and reads {name} from the environment (see .env.example)."
        )
    return value


def not_the_placeholder(name: str, value: str, placeholder: str) -> str:
    """Production never runs on the demo's placeholder or on a published demo value."""
    if value == placeholder:
        raise ImproperlyConfigured(
            f"{name} is the development placeholder ({placeholder!r}). With DJANGO_DEBUG=false "
            f"the shop runs production-style and needs the real value (see .env.example)."
        )
    return value


def placeholder_or_required(name: str, placeholder: str) -> str:
    """The demo's placeholder in development; in production the real value, or stop.

    Shoppers must never be told to pay into a placeholder account.
    """
    if DEBUG:
        return env.str(name, default="") or placeholder
    return not_the_placeholder(name, required(name), placeholder)


if DEBUG:
    # Development only: a fixed key is fine because DEBUG never runs in production.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
else:
    SECRET_KEY = not_the_placeholder(
        "DJANGO_SECRET_KEY", required("DJANGO_SECRET_KEY"), "django-insecure-development-only"
    )
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
    "shop.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "shop.dashboard.partners.apps.PartnersDashboardConfig",
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
    "shop.trader.apps.TraderConfig",
    "shop.returns.apps.ReturnsConfig",
    "shop.contact.apps.ContactConfig",
    "shop.privacy.apps.PrivacyConfig",
    "django_tasks",
    "django_tasks_db",
    # Operations (issue 15): /healthz, /readyz, /metrics, request logs.
    "django_prometheus",
    "django_structlog",
    "shop.health.apps.HealthConfig",
    # Sign-in hardening (shop/signin): throttling and staff two-factor.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "shop.signin.apps.SigninConfig",
]

MIDDLEWARE = [
    # Operations (issue 15): first and (almost) last, to time the whole request.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "shop.health.metrics.PageCacheMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Headers for every response, stored pages included (shop/security.py).
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "shop.security.ContentSecurityPolicyMiddleware",
    "shop.security.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sign-in: above the session middleware, to see the cookie it sets.
    "shop.signin.middleware.StaffSessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sign-in: who verified a TOTP code this session; the back office needs one.
    "django_otp.middleware.OTPMiddleware",
    "shop.signin.middleware.StaffTwoFactorMiddleware",
    "shop.signin.middleware.PasswordResetThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the path; after what the error pages need (the user).
    "shop.security.RefuseNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # Sign-in: answers a locked-out attempt with the wait time (axes asks for it late).
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last: it calls the view itself, inside a transaction unless the request is safe.
    "shop.pagecache.middleware.AtomicUnsafeRequestsMiddleware",
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
    # In SQLite's default (deferred) mode a transaction that reads and then
    # writes fails at once with "database is locked" when another writer holds
    # the lock; IMMEDIATE takes the lock at
    # BEGIN so concurrent requests wait (up to `timeout` seconds) instead.
    # WAL lets readers go on while one request writes.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Persistent connections, on SQLite too: opening one (with the PRAGMAs above)
# and closing it cost more than a stored page's whole request.
_db["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
_db["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction pooling (deploy/README.md): a connection per request,
# and no server-side cursors (one would outlive its transaction's server connection).
if _db["ENGINE"] == "django.db.backends.postgresql" and env.bool("DJANGO_PGBOUNCER", default=False):
    _db["CONN_MAX_AGE"] = 0
    _db["DISABLE_SERVER_SIDE_CURSORS"] = True
# django-prometheus's wrapper of the same backend: query counts, errors and timings.
_db["ENGINE"] = _db["ENGINE"].replace("django.db.backends.", "django_prometheus.db.backends.")
# Oscar's recommendation, a view either completes or changes nothing, for the
# requests that may change something: AtomicUnsafeRequestsMiddleware wraps every
# view but GET/HEAD in a transaction, as ATOMIC_REQUESTS would (which also
# wraps reads, and on SQLite's IMMEDIATE mode takes the write lock for them).
_db["ATOMIC_REQUESTS"] = False

# Chosen once, before the first migration; Oscar's migrations read it.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Cache and sessions ---------------------------------------------------
# Redis is optional, at start and at run time: each cache call gives up after
# SHOP_CACHE_TIMEOUT seconds and an error is a miss (django-redis IGNORE_EXCEPTIONS),
# so a stopped or frozen Redis makes pages slower, never failed. Sessions live in the
# database: a cache that loses writes while Redis is away must not lose baskets or
# sign-ins (and a cached_db session could come back stale after an outage).
REDIS_URL = env.str("REDIS_URL", default="")
SHOP_CACHE_TIMEOUT = env.float("SHOP_CACHE_TIMEOUT", default=0.2)
REDIS_CACHE = {
    "BACKEND": "shop.health.metrics.RedisCache",
    "OPTIONS": {
        "SOCKET_CONNECT_TIMEOUT": SHOP_CACHE_TIMEOUT,
        "SOCKET_TIMEOUT": SHOP_CACHE_TIMEOUT,
        "IGNORE_EXCEPTIONS": True,
    },
}
if REDIS_URL:
    CACHES = {"default": {**REDIS_CACHE, "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django_prometheus.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Whole storefront pages (shop/pagecache): in each process's own memory, so a
# deploy starts empty; freshness comes from the database's revisions. Expiry is
# a last line of defence; SHOP_PAGE_CACHE=false switches the cache off.
SHOP_PAGE_CACHE = env.bool("SHOP_PAGE_CACHE", default=True)
SHOP_PAGE_CACHE_SECONDS = env.int("SHOP_PAGE_CACHE_SECONDS", default=10 * 60)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "TIMEOUT": SHOP_PAGE_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
# Product views are counted in memory and written in batches (shop/analytics.py):
# every SHOP_VIEW_FLUSH_SECONDS, or sooner once SHOP_VIEW_FLUSH_VIEWS are waiting.
SHOP_VIEW_FLUSH_SECONDS = env.float("SHOP_VIEW_FLUSH_SECONDS", default=10)
SHOP_VIEW_FLUSH_VIEWS = env.int("SHOP_VIEW_FLUSH_VIEWS", default=1000)

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or address before any password is hashed.
    "shop.signin.backends.AxesBackend",
    # E-mail (or the admin's username) and password: one hash per attempt.
    "shop.signin.backends.EmailBackend",
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
    # Every cookie the shop sets is Secure over HTTPS: Oscar's basket and
    # recently-viewed cookies too (the messages cookie follows the session's).
    OSCAR_BASKET_COOKIE_SECURE = _https
    OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = _https
    LANGUAGE_COOKIE_SECURE = _https
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        # Only when the proxy in front sets X-Forwarded-Proto itself.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Headers: Content-Security-Policy, Permissions-Policy, private pages ----
# (shop/security.py; README "Security headers")
# No script can read a cookie: the storefront's scripts need none, and
# Oscar's dashboard JS falls back to the form's CSRF token.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Hosts a storefront form may post to besides the shop, e.g. a card payment
# provider's checkout page once card payment is on (empty: the shop only).
SHOP_CSP_FORM_ACTION_EXTRA = env.list("SHOP_CSP_FORM_ACTION_EXTRA", default=[])
# The storefront: everything from the shop itself, no inline script or style,
# never framed, forms post only to the shop.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *SHOP_CSP_FORM_ACTION_EXTRA],
    }
}
# Oscar's dashboard: its templates start each page from an inline script
# (and the product form has inline event handlers); its widgets and
# templates set inline styles. Nonces could not reach them without copying
# Oscar's dashboard templates. Everything still loads from the shop only, and
# nothing else is loosened. Django's admin needs none of it: it keeps the
# storefront's policy.
SHOP_CSP_BACK_OFFICE_PREFIXES = ["/dashboard/"]
SHOP_CSP_BACK_OFFICE = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# The shop uses none of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Pages that show addresses, orders, bank details or account data: never
# stored by a shared cache or on the shopper's disk.
SHOP_PRIVATE_PATH_PREFIXES = [
    "/basket/",
    "/checkout/",
    "/accounts/",
    "/password-reset/",
    "/dashboard/",
    "/admin/",
]
# --- Sign-in: throttling, two-factor, staff session cookie (shop/signin) ---
# django-axes: after AXES_FAILURE_LIMIT failures for one account, or from one
# client address, that account or address is refused for AXES_COOLOFF_TIME;
# staff unlock earlier under Dashboard → Sign-in lockouts. A short cool-off:
# an attacker guessing at the owner's account locks it only for minutes.
AXES_FAILURE_LIMIT = env.int("SHOP_SIGNIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SHOP_SIGNIN_COOLOFF_MINUTES", default=10))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = "shop.signin.throttle.lockout_parameters"
AXES_USERNAME_CALLABLE = "shop.signin.throttle.normalise_username"
AXES_CLIENT_IP_CALLABLE = "shop.security.client_address"
AXES_LOCKOUT_CALLABLE = "shop.signin.throttle.lockout_response"
AXES_VERBOSE = False
# django-otp: staff confirm each session with a TOTP code. Required in
# production; optional in development, so `make run` stays one command.
SHOP_STAFF_TWO_FACTOR = env.bool("SHOP_STAFF_TWO_FACTOR", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OSCAR_SHOP_NAME", default="Magnesium Body Cream")
# Registration by e-mailed link (shop/customer/services.py): the sign-up page answers the
# same for every address; the link is valid SHOP_SIGNUP_LINK_HOURS, and one address gets
# at most SHOP_SIGNUP_EMAILS_PER_HOUR sign-up e-mails an hour (more submissions send none);
# the same number caps a customer's e-mail change requests an hour.
SHOP_SIGNUP_LINK_HOURS = env.int("SHOP_SIGNUP_LINK_HOURS", default=24)
SHOP_SIGNUP_EMAILS_PER_HOUR = env.int("SHOP_SIGNUP_EMAILS_PER_HOUR", default=3)
# One client address asks for at most this many sign-ups an hour, whatever the addresses.
SHOP_SIGNUP_REQUESTS_PER_CLIENT_HOUR = env.int("SHOP_SIGNUP_REQUESTS_PER_CLIENT_HOUR", default=10)
# Shoppers' session cookie is Lax (a link from an e-mail finds them signed
# in); back-office users' is Strict (shop/signin/middleware.py).
SESSION_COOKIE_SAMESITE = "Lax"

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
    "signup-requests-prune": {
        "job": "shop.customer.services.signup_requests_prune",
        "every": 60 * 60,
    },
    # Daily at 03:00 UTC: personal data past its retention period (STORE.md, "Privacy").
    "personal-data-erase": {
        "job": "shop.privacy.jobs.personal_data_erase",
        "every": 24 * 60 * 60,
        "offset": 3 * 60 * 60,
    },
    # Holds on stock that end by themselves (shop/payment/jobs.py).
    "card-orders-reconcile": {"job": "shop.payment.jobs.card_orders_reconcile", "every": 5 * 60},
    "bank-transfers-remind": {"job": "shop.payment.jobs.bank_transfers_remind", "every": 60 * 60},
    "bank-transfers-expire": {"job": "shop.payment.jobs.bank_transfers_expire", "every": 15 * 60},
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

# --- Operations: health, metrics, logs (issue 15; shop/health, deploy/) -------
# Logs are one JSON object a line in production (SHOP_LOG_JSON), with the request id
# nginx sets (X-Request-ID) and the order number; no IP address, browser or query string.
SHOP_LOG_JSON = env.bool("SHOP_LOG_JSON", default=not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"shop": {"()": "shop.health.logs.formatter", "json": SHOP_LOG_JSON}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "shop"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# /metrics answers these addresses or networks only (Prometheus scrapes each app server).
SHOP_METRICS_ALLOWED_IPS = env.list("SHOP_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# /readyz: not ready when no task worker was heard from for this long (seconds; workers
# write a heartbeat every SHOP_SCHEDULER_INTERVAL), or a task has waited this long.
SHOP_READY_WORKER_SILENCE = env.float(
    "SHOP_READY_WORKER_SILENCE", default=3 * SHOP_SCHEDULER_INTERVAL
)
SHOP_READY_TASK_AGE = env.float("SHOP_READY_TASK_AGE", default=5 * 60)
# The database is away (a restart, a failover): pages answer 503 with this Retry-After.
SHOP_RETRY_AFTER = env.int("SHOP_RETRY_AFTER", default=5)
PROMETHEUS_EXPORT_MIGRATIONS = False

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
        "label": "Customers' requests",
        "icon": "fas fa-inbox",
        "children": [
            {"label": "Cancellations and returns", "url_name": "returns-dashboard:request-list"},
            {"label": "Refunds to make", "url_name": "returns-dashboard:refund-list"},
            {"label": "Contact messages", "url_name": "contact-dashboard:message-list"},
        ],
    },
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
    {
        "label": "Sign-in",
        "icon": "fas fa-user-lock",
        "children": [
            {"label": "Lockouts", "url_name": "signin-dashboard:lockout-list"},
            {"label": "Two-factor sign-in", "url_name": "signin-dashboard:two-factor-setup"},
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
# Card payments through Stripe Checkout (Stripe's hosted page): offered only when both
# keys are set; without them the shop takes bank transfers only. STRIPE_API_BASE is for
# tests and local runs against a Stripe-compatible server on loopback.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
# Where Stripe's hosted payment page lives: storefront forms may lead there (CSP form-action).
STRIPE_CHECKOUT_ORIGIN = env.str("STRIPE_CHECKOUT_ORIGIN", default="https://checkout.stripe.com")
if bool(STRIPE_SECRET_KEY) != bool(STRIPE_WEBHOOK_SECRET):
    # One without the other would take payments whose confirmation is never read.
    raise ImproperlyConfigured("Set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither.")
SHOP_CARD_SESSION_MINUTES = 30
SHOP_BANK_TRANSFER_REMIND_DAYS = env.int("SHOP_BANK_TRANSFER_REMIND_DAYS", default=2)
SHOP_BANK_TRANSFER_EXPIRE_DAYS = env.int("SHOP_BANK_TRANSFER_EXPIRE_DAYS", default=7)
# Limits on holding stock without paying (STORE.md "Selling"; placeholders).
SHOP_MAX_OPEN_UNPAID_ORDERS = env.int("SHOP_MAX_OPEN_UNPAID_ORDERS", default=2)
SHOP_MAX_JARS_PER_FRAGRANCE = env.int("SHOP_MAX_JARS_PER_FRAGRANCE", default=10)
# The request header holding the shopper's address when a proxy is in front (nginx's
# `proxy_set_header X-Real-IP $remote_addr;` → "HTTP_X_REAL_IP"); empty: REMOTE_ADDR. Behind a
# proxy REMOTE_ADDR is the proxy's, and every shopper would share one sign-in, open-order
# and contact limit (shop.security.client_address).
SHOP_CLIENT_ADDRESS_HEADER = env.str("SHOP_CLIENT_ADDRESS_HEADER", default="")
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
# A stocktake file of more lines is refused before it is parsed: its preview
# page would grow with it (a few hundred thousand short lines outlast a worker).
SHOP_STOCKTAKE_MAX_ROWS = env.int("SHOP_STOCKTAKE_MAX_ROWS", default=5000)
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
if not DEBUG:
    # The demo password is printed in the README: never a production login.
    not_the_placeholder("SHOP_DEMO_STAFF_PASSWORD", SHOP_DEMO_STAFF_PASSWORD, "magnesium-demo")

# --- The guide (shop/blog) -------------------------------------------------
# Every guide page notes that it is educational, linking to this article; the
# product page's safety notes link to it too.
BLOG_MEDICAL_ARTICLE_SLUG = "when-ql-muscle-pain-needs-medical-attention"

# --- Trading (STORE.md "Trader", "Returns and cancellation", "Privacy") -------
# Shown in the footer of every page and of every e-mail. Placeholders in development; in
# production each must be set (a shop must not trade under placeholder details).
SHOP_TRADER = {
    "name": placeholder_or_required("SHOP_TRADER_NAME", "Magnesium Body Cream Ltd"),
    "registered_in": env.str(
        "SHOP_TRADER_REGISTERED_IN", default="registered in England and Wales"
    ),
    "company_number": placeholder_or_required("SHOP_TRADER_COMPANY_NUMBER", "00000000"),
    "address": placeholder_or_required(
        "SHOP_TRADER_ADDRESS", "1 Example Street, London, EC1A 1AA, United Kingdom"
    ),
    "vat_number": placeholder_or_required("SHOP_TRADER_VAT_NUMBER", "GB 000 0000 00"),
    "email": placeholder_or_required("SHOP_TRADER_EMAIL", "care@example.com"),
    "phone": placeholder_or_required("SHOP_TRADER_PHONE", "+44 20 0000 0000"),
    "hours": env.str("SHOP_TRADER_HOURS", default="Monday to Friday, 9:00–17:00"),
}
# The version of the Terms of sale every new order is placed under (recorded on the order).
# Raise it whenever the Terms page changes in substance.
SHOP_TERMS_VERSION = env.str("SHOP_TERMS_VERSION", default="2026-11-30")
# When orders leave (STORE.md "Selling", placeholder).
SHOP_DISPATCH_RULE = env.str(
    "SHOP_DISPATCH_RULE",
    default="Orders paid by 2 pm on a working day are dispatched that day.",
)
# The right to cancel: days from receiving the goods (Consumer Contracts Regulations 2013).
SHOP_CANCELLATION_DAYS = 14
# Receipt is not recorded, so "online returns" stay open this many days after dispatch:
# the cancellation period plus the longest delivery time, with a margin.
SHOP_RETURN_WINDOW_DAYS = env.int("SHOP_RETURN_WINDOW_DAYS", default=14 + 7)
# How long the signed link in the confirmation e-mail lets a guest cancel or return.
SHOP_GUEST_ORDER_LINK_DAYS = env.int("SHOP_GUEST_ORDER_LINK_DAYS", default=90)
# Where customers' cancellations, returns and contact messages are e-mailed.
SHOP_CUSTOMER_SERVICE_EMAIL = env.str("SHOP_CUSTOMER_SERVICE_EMAIL", default="care@example.com")
# Retention (STORE.md "Privacy"): orders keep personal data this long for tax records,
# contact messages this long.
SHOP_ORDER_RETENTION_DAYS = env.int("SHOP_ORDER_RETENTION_DAYS", default=6 * 365 + 2)
SHOP_CONTACT_RETENTION_DAYS = env.int("SHOP_CONTACT_RETENTION_DAYS", default=365)
# Contact form: at most this many messages per client and hour (Django's cache).
SHOP_CONTACT_RATE = env.int("SHOP_CONTACT_RATE", default=5)
SHOP_CONTACT_RATE_PERIOD = 60 * 60
SHOP_CONTACT_MAX_LENGTH = 5000
