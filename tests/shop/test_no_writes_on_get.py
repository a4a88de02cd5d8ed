"""No page changes data on GET: a link on another site, or a `?next=` after
signing in, must never act for a signed-in superuser.

The walk GETs every URL the resolver knows (Oscar's and the admin's included),
its parameters filled from real objects, and after each one compares every
table's row count and checksum with the state before.
"""

import hashlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import get_resolver, resolve

from tests.url_parameters import parameters_for, url_parameters, walk

pytestmark = pytest.mark.django_db


# Tables a GET may write by design, none of them shop state:
IGNORED_TABLES = {
    # the signed-in user's own session (flash messages, checkout progress)
    "django_session",
    # Oscar's counters of what was viewed and searched
    "analytics_productrecord",
    "analytics_userproductview",
    "analytics_usersearch",
    "analytics_userrecord",
}

# Opening a message marks it read, as a mail reader does.
MAY_WRITE = {"customer:notifications-detail": {"communication_notification"}}


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def fill(text, values):
    """The pattern text (route or regex parts) with each parameter replaced by its value."""
    # Regex groups may nest: (?P<slug>[\w-]+(/[\w-]+)*)
    while (start := text.find("(?P<")) != -1:
        name = text[start + 4 : text.index(">", start)]
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        text = text[:start] + str(values[name]) + text[end + 1 :]
    text = ROUTE_PARAMETER.sub(lambda m: str(values[m["name"]]), text)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def table_states():
    """Every table's row count and a checksum of its rows."""
    states = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in IGNORED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            states[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return states


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.com", "pw", first_name="Root"
    )


@pytest.fixture
def world(media, superuser):
    """A real object behind every kind of URL parameter."""
    by_prefix = url_parameters(superuser)

    def values_for(name, text):
        if text.startswith("admin/"):
            return admin_values(text)
        return parameters_for(by_prefix, name)

    urls = []
    for name, text, pattern in walk(get_resolver().url_patterns):
        url = fill(text, values_for(name, text))
        # A pattern shadowed by an earlier one (Oscar's home page under ours) is
        # never reached: the earlier one is walked.
        if resolve(url).func == pattern.callback:
            urls.append((name, url))
    return urls


def admin_values(text):
    """The admin's pages about one object: the first row of that model."""
    values = {"app_label": "catalogue", "url": "nothing/", "content_type_id": 1}
    parts = text.split("/")
    if len(parts) > 3 and "<" in text:
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            model = None
        row = model.objects.order_by("pk").first() if model else None
        values["object_id"] = values["id"] = row.pk if row else 1
        values["parent_id"] = values["pk"] = values["object_id"]
    return values


def test_the_walk_covers_every_url(world):
    names = {name for name, _url in world}
    assert len(world) > 500
    assert {
        "dashboard:partner-user-link",
        "customer:address-change-status",
        "customer:register-confirm",
        "customer:email-change-confirm",
        "customer:alerts-confirm",
        "admin:auth_user_change",
        "catalogue:detail",
    } <= names


def test_no_get_changes_any_table(world, superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    # The signed-in superuser's basket exists before the walk, as after any visit.
    client.get("/")
    before = table_states()
    changed, errors = [], []
    for name, url in world:
        response = client.get(url)
        # /readyz answers 503 by design while no task worker runs (as in this test).
        if response.status_code >= 500 and name != "readyz":
            errors.append((name, url, response.status_code))
        after = table_states()
        if after != before:
            tables = {t for t in after if after[t] != before.get(t)}
            if not tables <= MAY_WRITE.get(name, set()):
                changed.append((name, url, sorted(tables)))
            before = after
    assert changed == [], "\n".join(map(str, changed))
    assert errors == [], "\n".join(map(str, errors))
