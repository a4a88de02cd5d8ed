"""Shoppers racing through checkout for the last jars, against real servers.

Each shopper has its own cookies (session, basket, CSRF) and its own HTTP
connections. They fill their baskets and reach the preview first, then all
press "Place order" at the same moment. The race runs against Django's live
server (a thread and a database connection per request) and, on PostgreSQL,
against gunicorn as deployed (deploy/gunicorn.conf.py), with several worker
processes.
"""

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from oscar.core.loading import get_model

from tests.checkout.helpers import LiveShopper, race_to_place_orders
from tests.factories import create_cream
from tests.servers import database_url, free_port, stop_process, wait_for_port

Basket = get_model("basket", "Basket")
Line = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Source = get_model("payment", "Source")
StockRecord = get_model("partner", "StockRecord")

ROOT = Path(__file__).resolve().parents[2]
SHOPPERS = 20
JARS = 3
WORKERS = 4


def race_for_the_last_jars(base_url, product):
    """SHOPPERS shoppers reach the preview, then place their orders at once."""
    shoppers = [LiveShopper(base_url, f"shopper{i}") for i in range(SHOPPERS)]
    fingerprints = [shopper.go_to_preview(product) for shopper in shoppers]
    return race_to_place_orders(shoppers, fingerprints)


def assert_exactly_the_jars_there_are_were_sold(results, product, server_log=lambda: ""):
    statuses = [status for status, _url, _html in results]
    assert all(status == 200 for status in statuses), (statuses, server_log())
    placed = [url for _s, url, _h in results if url.endswith("/checkout/thank-you/")]
    refused = [page for _s, url, page in results if url.endswith("/basket/")]
    assert (len(placed), len(refused)) == (JARS, SHOPPERS - JARS), (statuses, server_log())
    title = re.escape(product.get_title())
    for page in refused:
        # The refusal is on the basket page, which still holds the shopper's jar:
        # our allocation's message when the jars went while this order was being
        # placed, Oscar's basket check when they had gone before it started.
        assert re.search(
            rf"Sorry, {title} has just sold out\.|'{title}' is no longer available to buy",
            html.unescape(page),
        ), page
        assert product.get_absolute_url() in page

    # Nothing half-made: each order whole, the losers' attempts gone without a trace.
    assert Order.objects.count() == JARS
    assert Line.objects.count() == LinePrice.objects.count() == JARS
    assert Source.objects.count() == ShippingAddress.objects.count() == JARS
    for order in Order.objects.prefetch_related("lines", "sources"):
        assert [line.quantity for line in order.lines.all()] == [1]
        assert [source.amount_allocated for source in order.sources.all()] == [order.total_incl_tax]
    assert Basket.objects.filter(status=Basket.SUBMITTED).count() == JARS
    assert Basket.objects.filter(status=Basket.OPEN, lines__isnull=False).count() == SHOPPERS - JARS

    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (JARS, JARS)
    # The ledger still adds up: allocations are holds, not movements.
    assert sum(record.movements.values_list("quantity", flat=True)) == record.num_in_stock


@pytest.fixture(autouse=True)
def _one_address_for_all(settings):
    # Every shopper here comes from loopback: the open-unpaid-order limit per client
    # address (shop.payment) would stop the race at its third order.
    settings.SHOP_MAX_OPEN_UNPAID_ORDERS = SHOPPERS


@pytest.mark.django_db(transaction=True)
def test_racing_shoppers_get_exactly_the_jars_there_are(live_server, media, reference_data):
    clary = create_cream((("Clary Sage", JARS),), images=False).children.get()

    results = race_for_the_last_jars(live_server.url, clary)

    assert_exactly_the_jars_there_are_were_sold(results, clary)


@pytest.fixture
def gunicorn(transactional_db, reference_data, tmp_path):
    """gunicorn with deploy/'s settings and WORKERS worker processes on the test database.

    Asks for `transactional_db` so that it stops before the database is
    flushed. Its stderr is printed at teardown, which pytest shows only when
    the test fails.
    """
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SHOP_MAX_OPEN_UNPAID_ORDERS": str(SHOPPERS),
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "shop.wsgi",
        "--config",
        "deploy/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--timeout",
        "120",
    ]
    with log.open("w") as stderr:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=stderr)
    try:
        wait_for_port(port, timeout=60, process=server, log=log.read_text)
        server.log = log.read_text
        server.url = f"http://127.0.0.1:{port}"
        yield server
    finally:
        stop_process(server, timeout=30)
        print(f"gunicorn stderr:\n{log.read_text()}")


@pytest.mark.postgres
def test_racing_shoppers_on_several_gunicorn_workers_get_exactly_the_jars_there_are(gunicorn):
    clary = create_cream((("Clary Sage", JARS),), images=False).children.get()

    results = race_for_the_last_jars(gunicorn.url, clary)

    assert_exactly_the_jars_there_are_were_sold(results, clary, server_log=gunicorn.log)
    assert gunicorn.poll() is None, gunicorn.log()
    assert not re.search(r"Traceback|\[CRITICAL\]|WORKER TIMEOUT", gunicorn.log()), gunicorn.log()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_placing_the_same_basket_at_once_make_one_order(
    live_server, media, reference_data
):
    clary = create_cream((("Clary Sage", JARS),), images=False).children.get()
    shopper = LiveShopper(live_server.url, "twotabs")  # one browser: the tabs share cookies
    fingerprint = shopper.go_to_preview(clary)

    results = race_to_place_orders([shopper, shopper], [fingerprint, fingerprint])

    assert [status for status, _url, _html in results] == [200, 200]
    assert any(url.endswith("/checkout/thank-you/") for _s, url, _h in results)
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(product=clary).num_allocated == 1
