"""Prometheus metrics beyond django-prometheus's: the page cache, cache call timings and
the shop's own numbers.

django-prometheus measures requests (latency by view), database queries and cache hits.
The shop's numbers are read from the database at each scrape (a handful of aggregate
queries), so every app server reports the same truth whatever process placed the order.
"""

import time

from django.conf import settings
from django_prometheus.cache.backends.redis import RedisCache as PrometheusRedisCache
from oscar.core.loading import get_model
from prometheus_client import Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

page_cache_responses = Counter(
    "shop_page_cache_responses_total",
    "Storefront pages by what the page cache did (X-Page-Cache: hit, miss, stale, bypass, off)",
    ["result"],
)
cache_seconds = Histogram(
    "shop_cache_call_seconds",
    "Time of calls to the shared cache (Redis), errors included",
    ["operation"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5),
)


class PageCacheMetricsMiddleware:
    """Counts the page cache's answers from the header it sets on each storefront page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        result = response.headers.get("X-Page-Cache")
        if result:
            page_cache_responses.labels(result).inc()
        return response


def _timed(name):
    def method(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return getattr(super(RedisCache, self), name)(*args, **kwargs)
        finally:
            cache_seconds.labels(name).observe(time.perf_counter() - start)

    method.__name__ = name
    return method


class RedisCache(PrometheusRedisCache):
    """django-redis (errors become misses with IGNORE_EXCEPTIONS) with django-prometheus's
    hit/miss counters, and the time of each call."""

    get = _timed("get")
    set = _timed("set")
    add = _timed("add")
    delete = _timed("delete")
    get_many = _timed("get_many")
    set_many = _timed("set_many")
    incr = _timed("incr")


class ShopCollector:
    """The shop's numbers, from the database, at scrape time."""

    def collect(self):
        from django.db.models import Count, Sum

        from shop.health.readiness import task_queue, worker_age
        from shop.mail.models import OutgoingEmail

        Order = get_model("order", "Order")
        Line = get_model("order", "Line")
        PaymentEvent = get_model("order", "PaymentEvent")

        yield CounterMetricFamily(
            "shop_orders_placed", "Orders placed", value=Order.objects.count()
        )
        yield CounterMetricFamily(
            "shop_payments_confirmed", "Payments confirmed", value=PaymentEvent.objects.count()
        )
        emails = GaugeMetricFamily("shop_emails", "Outgoing e-mails by status", labels=["status"])
        counts = dict(
            OutgoingEmail.objects.order_by().values_list("status").annotate(n=Count("id"))
        )
        for status in OutgoingEmail.Status.values:
            emails.add_metric([status], counts.get(status, 0))
        yield emails
        held = Line.objects.filter(order__status=settings.OSCAR_INITIAL_ORDER_STATUS).aggregate(
            jars=Sum("quantity")
        )["jars"]
        yield GaugeMetricFamily(
            "shop_jars_held_unpaid", "Jars held by orders waiting for payment", value=held or 0
        )
        queue = task_queue()
        yield GaugeMetricFamily("shop_tasks_waiting", "Tasks ready to run", value=queue["depth"])
        yield GaugeMetricFamily(
            "shop_tasks_oldest_age_seconds",
            "How long the oldest ready task has waited",
            value=queue["oldest_age"],
        )
        age = worker_age()
        yield GaugeMetricFamily(
            "shop_worker_heartbeat_age_seconds",
            "Seconds since a task worker was last heard from (-1: never)",
            value=-1 if age is None else age,
        )
