"""The shop's URLs and the framework's ceiling: a trivial view returning a fixed page.

Served by the same gunicorn, middleware and settings as the shop, so its
requests/s is what Django itself allows on this machine; the page is as long
as the anonymous product page (BENCH_CEILING_BYTES), so both cost the client
and the network alike.
"""

import os

from django.http import HttpResponse
from django.urls import path

from shop.urls import urlpatterns as shop_urlpatterns

_SIZE = int(os.environ.get("BENCH_CEILING_BYTES", "1024"))
_HEAD = b"<!DOCTYPE html><html lang=en><title>Ceiling</title><p>"
PAGE = _HEAD + b"x" * max(0, _SIZE - len(_HEAD))


def ceiling(request):
    return HttpResponse(PAGE)


urlpatterns = [path("bench/ceiling/", ceiling), *shop_urlpatterns]
