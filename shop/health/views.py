import ipaddress
import os
import sys

import prometheus_client
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error
from prometheus_client import multiprocess

from shop.health.metrics import ShopCollector
from shop.health.readiness import readiness


@never_cache
def healthz(request):
    """The process answers: nothing else is asked (no database, no cache)."""
    return JsonResponse({"status": "ok"})


@never_cache
@transaction.non_atomic_requests
def readyz(request):
    ready, report = readiness()
    report["status"] = "ready" if ready else "unavailable"
    return JsonResponse(report, status=200 if ready else 503)


class _Together:
    """Two collectors exposed as one (what generate_latest needs)."""

    def __init__(self, *collectors):
        self.collectors = collectors

    def collect(self):
        for collector in self.collectors:
            yield from collector.collect()


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in settings.SHOP_METRICS_ALLOWED_IPS)


@never_cache
@transaction.non_atomic_requests
def metrics(request):
    """Prometheus' text format, to the addresses of SHOP_METRICS_ALLOWED_IPS only
    (anyone else gets the shop's 404). With several worker processes (gunicorn) their
    metrics are summed through PROMETHEUS_MULTIPROC_DIR."""
    if not _allowed(request.META.get("REMOTE_ADDR", "")):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = prometheus_client.REGISTRY
    return HttpResponse(
        prometheus_client.generate_latest(_Together(process, ShopCollector())),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )


def database_unreachable(exception) -> bool:
    """The database could not be reached (a restart, a failover): not a bug in the shop."""
    return isinstance(exception, OperationalError | InterfaceError)


def server_error(request):
    """handler500. When the database cannot be reached (a restart, a failover) the shop is
    briefly unavailable, not broken: 503 with Retry-After and a page saying so, rendered
    without the database. Any other error, a database's included, is a 500."""
    if database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(settings.SHOP_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    return django_server_error(request)
