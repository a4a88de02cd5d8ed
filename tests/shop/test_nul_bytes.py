"""A NUL byte in a URL's path is "not found", never a 500 (PostgreSQL rejects NUL in text)."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Some that gave a 500 on PostgreSQL before (found by the walk below).
KNOWN_PUBLIC = [
    "/accounts/alerts/confirm/k%00/",
    "/accounts/alerts/cancel/key/k%00/",
    "/wishlists/k%00/",
]
KNOWN_STAFF = [
    "/accounts/orders/1%00/",
    "/dashboard/orders/1%00/",
    "/dashboard/orders/1%00/shipping-address/",
    "/dashboard/pages/update/x%00/",
    "/dashboard/pages/delete/x%00/",
    "/admin/address/country/G%00/change/",
]


def every_path(resolver=None, prefix=""):
    """Every URL pattern as a path, each parameter filled with text holding a NUL byte."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from every_path(entry, pattern)
        elif isinstance(entry, URLPattern):
            path = re.sub(r"<(?:\w+:)?\w+>", "x%00", pattern)
            path = re.sub(r"\(\?P<\w+>[^)]*\)+", "x%00", path)
            path = re.sub(r"\([^)]*\)", "x%00", path)
            yield "/" + path.replace("\\", "")


@pytest.mark.postgres
def test_the_urls_that_failed_on_postgresql_are_not_found(admin_client, client):
    for path in KNOWN_PUBLIC:
        assert client.get(path).status_code == 404, path
    for path in KNOWN_STAFF:
        assert admin_client.get(path).status_code == 404, path


def test_a_nul_byte_anywhere_in_a_url_is_a_4xx(admin_user):
    staff, anonymous = Client(raise_request_exception=False), Client(raise_request_exception=False)
    staff.force_login(admin_user)
    paths = sorted(set(every_path()))
    assert len(paths) > 150

    failures = [
        (who, path)
        for path in paths
        for who, client in (("staff", staff), ("anonymous", anonymous))
        # /readyz answers 503 by design while no task worker runs (as in this test).
        if client.get(path).status_code >= 500 and not path.startswith("/readyz")
    ]

    assert failures == [], "\n".join(f"{who} {path}" for who, path in failures)
