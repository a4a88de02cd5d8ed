"""Safe requests take no transaction (no write lock on SQLite); unsafe ones keep theirs."""

import sqlite3
import time

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from shop.pagecache.middleware import AtomicUnsafeRequestsMiddleware


def in_transaction(request):
    return HttpResponse(str(connection.in_atomic_block))


def run(rf, method, view=in_transaction):
    middleware = AtomicUnsafeRequestsMiddleware(lambda request: None)
    request = getattr(rf, method)("/")
    response = middleware.process_view(request, view, (), {})
    # None: Django calls the view itself, outside any transaction.
    return (response or view(request)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_post_runs_in_one_transaction_and_a_get_in_none(rf):
    assert run(rf, "post") == "True"
    assert run(rf, "delete") == "True"
    assert run(rf, "get") == "False"
    assert run(rf, "head") == "False"


@pytest.mark.django_db(transaction=True)
def test_a_view_marked_non_atomic_stays_so(rf):
    assert run(rf, "post", transaction.non_atomic_requests(in_transaction)) == "False"


@pytest.mark.django_db(transaction=True)
def test_a_failing_post_changes_nothing(rf, django_user_model):
    def half_done(request):
        django_user_model.objects.create_user("half", "half@example.com", "pw")
        raise ValueError("failed after writing")

    with pytest.raises(ValueError, match="failed after writing"):
        run(rf, "post", half_done)
    assert not django_user_model.objects.filter(username="half").exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_view_does_not_wait_for_a_writer_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    writer = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # a checkout holding the database's write lock
    try:
        start = time.monotonic()
        response = Client().get(reverse("search:search"), {"q": "cream"})  # reads products
        assert response.status_code == 200
        assert time.monotonic() - start < 5  # not the 20 s busy timeout of a BEGIN IMMEDIATE
    finally:
        writer.rollback()
        writer.close()
