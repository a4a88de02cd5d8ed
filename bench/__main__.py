"""`make bench`: the shop production-style on SQLite and PostgreSQL, under concurrent load,
against the framework's own ceiling.

For each database it starts one app server as deploy/ runs it (gunicorn with
deploy/gunicorn.conf.py: 2 sync workers, none replaced during the run;
BENCH_GUNICORN_ARGS adds to its command line), DEBUG off, persistent connections
on PostgreSQL, on a benchmark database, loads the demo store, then drives
concurrent keep-alive clients: first a trivial Django view returning a fixed
page as long as the product page, served by the same server, settings and
middleware (bench/urls.py), which is the ceiling Django itself allows on this
machine; then each page anonymously, the product and basket pages with a basket
in the session, whole guest checkouts (each client a new guest every time,
through every step to the placed order), and the ceiling and the product page
while two guests buy. It prints requests/s and that as a fraction of the
ceiling, p50/p99 latency, the server's CPU time per request (from /proc, summed
over gunicorn's processes) and the SQL queries per request (counted in-process
with Django's test client), and for checkout the orders placed per second, the
queries of a whole checkout and of "place order". Checkouts run with the task
worker delivering their e-mails to a local mail server (aiosmtpd), then once
more with a mail server that accepts connections and never answers: "place
order" must not notice. Timing is measured here, never asserted in tests.

The benchmark database gets BENCH_STOCK jars of each fragrance through the
stock service before the run, so that checkouts never run out; the demo data
the shop shows is not changed.

Environment: BENCH_DATABASES (default "sqlite postgres"), BENCH_DATABASE_URL (the
PostgreSQL one, default postgres://postgres@127.0.0.1:5432/shop_bench; SQLite
uses a new file each run), BENCH_CONCURRENCY (8), BENCH_SECONDS (10 per row),
BENCH_PORT (8765), BENCH_STOCK (50000).
"""

import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from tests.servers import Cookies, HangingServer, SMTPServer, stop_process, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop_bench")
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite postgres").split()
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
STOCK = int(os.environ.get("BENCH_STOCK", "50000"))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-" + "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_HTTPS": "false",
    "SHOP_SERVE_MEDIA": "true",
    "DJANGO_MEDIA_ROOT": tempfile.mkdtemp(prefix="shop-bench-media-"),
    "DJANGO_LOG_LEVEL": "WARNING",
    "DEFAULT_FROM_EMAIL": "bench@example.com",
    "SHOP_DOMAIN": "127.0.0.1",
    "SHOP_RESPONSIBLE_PERSON": "Benchmark only",
    "SHOP_BANK_ACCOUNT_NAME": "Benchmark only",
    "SHOP_BANK_SORT_CODE": "11-11-11",
    "SHOP_BANK_ACCOUNT_NUMBER": "11111111",
    "SHOP_BANK_IBAN": "none",
    "SHOP_BANK_BIC": "none",
    # Every bench client comes from 127.0.0.1 and leaves its orders unpaid: the open-order
    # limit (tested on its own) would refuse all but the first two.
    "SHOP_MAX_OPEN_UNPAID_ORDERS": "100000000",
    "SHOP_TRADER_NAME": "none",
    "SHOP_TRADER_COMPANY_NUMBER": "none",
    "SHOP_TRADER_ADDRESS": "none",
    "SHOP_TRADER_VAT_NUMBER": "none",
    "SHOP_TRADER_EMAIL": "none@example.com",
    "SHOP_TRADER_PHONE": "none",
    # Order e-mails are queued by the app servers and delivered by a task worker that the
    # checkout rows start, to a mail server of the bench's own (an answering one, a hanging one).
    "EMAIL_URL": "dummymail://",
}


def create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of gunicorn's master and workers, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class Shopper:
    """A browser's worth of state over one keep-alive connection: cookies and CSRF."""

    def __init__(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.cookies = Cookies()

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = self.cookies.header()
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            html = response.read().decode()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            return 0, ""
        self.cookies.keep(response)
        return response.status, html

    def new_guest(self):
        self.cookies.clear()


def run_clients(seconds: float, setup, step, clients: int = 0) -> tuple[list[float], int, int]:
    """`clients` (CONCURRENCY) shoppers: `setup(shopper)` once, then `step(shopper, timed)`
    until the deadline. `timed(method, path, data, expect)` makes one timed request. Returns
    the latencies, the requests that failed and the steps completed."""
    latencies: list[float] = []
    errors = completed = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        nonlocal errors, completed
        shopper = Shopper()
        setup(shopper)
        mine: list[float] = []
        bad = done = 0

        def timed(method, path, data=None, expect=200):
            nonlocal bad
            start = time.perf_counter()
            status, html = shopper.request(method, path, data)
            mine.append(time.perf_counter() - start)
            if status != expect:
                bad += 1
                raise StepFailed
            return html

        while time.perf_counter() < deadline:
            try:
                step(shopper, timed)
                done += 1
            except StepFailed:
                shopper.new_guest()
        with lock:
            latencies.extend(mine)
            errors += bad
            completed += done

    threads = [threading.Thread(target=client) for _ in range(clients or CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, completed


def run_together(seconds: float, *groups) -> list[tuple[list[float], int, int]]:
    """Several `run_clients` groups, `(setup, step, clients)` each, at the same time."""
    results: list = [None] * len(groups)

    def run(index, setup, step, clients):
        results[index] = run_clients(seconds, setup, step, clients)

    threads = [threading.Thread(target=run, args=(i, *group)) for i, group in enumerate(groups)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class StepFailed(Exception):
    pass


def add_to_basket(shopper, timed, product):
    timed("GET", product.get_absolute_url())  # as a shopper would: it sets the CSRF cookie
    timed("POST", f"/basket/add/{product.pk}/", {"quantity": "1"}, expect=302)


def page(path):
    return lambda shopper, timed: timed("GET", path)


def with_basket(product, path):
    """Shoppers with a basket (one jar) in their session, requesting `path`."""

    def setup(shopper):
        shopper.request("GET", product.get_absolute_url())
        shopper.request(
            "POST",
            f"/basket/add/{product.pk}/",
            {"quantity": "1", "csrfmiddlewaretoken": shopper.cookies.get("csrftoken", "")},
        )

    return setup, page(path)


def guest_checkout(product, place_latencies):
    """Every request of a guest's checkout, from the product page to the thank-you page."""

    def step(shopper, timed):
        shopper.new_guest()
        add_to_basket(shopper, timed, product)
        timed("GET", "/basket/")
        timed("GET", "/checkout/")
        timed("POST", "/checkout/", {"username": "bench@example.com", "options": "anonymous"}, 302)
        timed("GET", "/checkout/shipping-address/")
        timed("POST", "/checkout/shipping-address/", ADDRESS, expect=302)
        timed("GET", "/checkout/shipping-method/")
        timed("POST", "/checkout/shipping-method/", {"method_code": "uk-standard"}, expect=302)
        html = timed("GET", "/checkout/preview/")
        fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)
        start = time.perf_counter()
        timed(
            "POST",
            "/checkout/preview/",
            {"action": "place_order", "fingerprint": fingerprint},
            expect=302,
        )
        place_latencies.append(time.perf_counter() - start)
        timed("GET", "/checkout/thank-you/")

    return step


ADDRESS = {
    "first_name": "Bench",
    "last_name": "Shopper",
    "line1": "1 High Street",
    "line4": "London",
    "postcode": "SW1A 1AA",
    "country": "GB",
}


def count_queries(path: str, basket_product=None) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if basket_product is not None:
        client.post(f"/basket/add/{basket_product.pk}/", {"quantity": 1})
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def count_checkout_queries(product) -> tuple[int, int, int]:
    """Queries of a whole guest checkout, its number of requests, and "place order" alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    requests = 0

    def go(method, path, data=None):
        nonlocal requests
        requests += 1
        return getattr(client, method)(path, data) if data else getattr(client, method)(path)

    client.get(product.get_absolute_url())
    with CaptureQueriesContext(connection) as total:
        go("post", f"/basket/add/{product.pk}/", {"quantity": 1})
        go("get", "/basket/")
        go("get", "/checkout/")
        go("post", "/checkout/", {"username": "bench@example.com", "options": "anonymous"})
        go("get", "/checkout/shipping-address/")
        go("post", "/checkout/shipping-address/", ADDRESS)
        go("get", "/checkout/shipping-method/")
        go("post", "/checkout/shipping-method/", {"method_code": "uk-standard"})
        html = go("get", "/checkout/preview/").content.decode()
        fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)
        # Not a nested CaptureQueriesContext: leaving one re-enables the
        # per-request reset of the query log that the outer one relies on.
        before = len(connection.queries_log)
        response = go(
            "post", "/checkout/preview/", {"action": "place_order", "fingerprint": fingerprint}
        )
        place = len(connection.queries_log) - before
        assert response["Location"] == "/checkout/thank-you/", response
        go("get", "/checkout/thank-you/")
    return len(total), requests, place


def restock(products) -> None:
    """Enough jars of each fragrance for every checkout of the run (bench database only)."""
    from shop.stock.services import stock_adjust

    for product in products:
        record = product.stockrecords.get()
        missing = STOCK - record.net_stock_level
        if missing > 0:
            stock_adjust(
                stockrecord=record, quantity=missing, reason="received", note="benchmark stock"
            )


def main() -> None:
    if len(sys.argv) > 1:
        run(sys.argv[1])  # one database in its own process: Django is set up once per process
        return
    print(f"machine: {machine()}; load average before: {load()}")
    for name in DATABASES:
        if name == "sqlite":
            url = f"sqlite:///{tempfile.mkdtemp(prefix='shop-bench-')}/db.sqlite3"
        else:
            url = POSTGRES_URL
        subprocess.run([sys.executable, "-m", "bench", url], cwd=ROOT, check=True)
    print(f"\nload average after: {load()}")


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(url: str) -> None:
    ENV["DATABASE_URL"] = url
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    if engine == "PostgreSQL":
        create_database(url)
    manage("migrate", "--noinput", "-v0")
    manage("load_demo_store", "-v0")
    manage("collectstatic", "--noinput", "-v0")

    os.environ.update(ENV)
    import django

    django.setup()
    from django.test import Client
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    parent = Product.objects.get(upc="MGC-100")
    child = Product.objects.get(upc="MGC-100-CLS")
    restock(parent.children.all())
    # The ceiling's page is as long as the product page.
    ENV["BENCH_CEILING_BYTES"] = str(
        len(Client(HTTP_HOST="127.0.0.1").get(parent.get_absolute_url()).content)
    )
    pages = [
        ("ceiling", "/bench/ceiling/"),
        ("robots.txt", "/robots.txt"),
        ("home", "/"),
        ("catalogue", "/catalogue/"),
        ("product (parent)", parent.get_absolute_url()),
        ("product (child)", child.get_absolute_url()),
    ]
    # name, (setup, step), queries per request
    rows = [(name, (lambda shopper: None, page(path)), count_queries(path)) for name, path in pages]
    rows += [
        (
            "child + basket",
            with_basket(child, child.get_absolute_url()),
            count_queries(child.get_absolute_url(), child),
        ),
        ("basket page", with_basket(child, "/basket/"), count_queries("/basket/", child)),
    ]
    checkout_queries, checkout_requests, place_queries = count_checkout_queries(child)
    place_latencies: list[float] = []
    checkout = (lambda shopper: None, guest_checkout(child, place_latencies))

    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "shop.wsgi",
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            # No worker is replaced mid-run: its CPU time would vanish from the sums.
            "--max-requests",
            "0",
            *os.environ.get("BENCH_GUNICORN_ARGS", "").split(),
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        wait_for_port(PORT, timeout=60, process=server)
        print(
            f"\n{engine}: gunicorn as deployed ({server_setup()}); {CONCURRENCY} concurrent "
            f"clients, {SECONDS:g} s per row; load average {load()}\n"
        )
        header = f"{'page':<18} {'req/s':>8} {'ceiling':>8} {'p50 ms':>8} {'p99 ms':>8}"
        print(header + f" {'CPU ms/req':>11} {'queries':>8} {'errors':>7}")
        ceiling = None
        for name, (setup, step), queries in rows:
            run_clients(1.0, setup, step)  # warm up: connections, caches, thumbnails
            before = cpu_seconds(server.pid)
            latencies, errors, _done = run_clients(SECONDS, setup, step)
            cpu = cpu_seconds(server.pid) - before
            ceiling = ceiling or len(latencies) / SECONDS
            print(f"{name:<18} {stats(latencies, cpu, ceiling)} {queries:>8} {errors:>7}")

        # Checkouts with the task worker delivering their e-mails to a mail server that
        # answers; later, to one that hangs.
        smtp = SMTPServer().start()
        worker = start_worker(f"smtp://127.0.0.1:{smtp.port}")
        run_clients(1.0, *checkout)
        place_latencies.clear()
        before = cpu_seconds(server.pid)
        latencies, errors, orders = run_clients(SECONDS, *checkout)
        cpu = cpu_seconds(server.pid) - before
        per_request = f"{checkout_queries / checkout_requests:.1f}"
        print(
            f"{'checkout (all)':<18} {stats(latencies, cpu, ceiling)} {per_request:>8} {errors:>7}"
        )
        print(f"{'  place order':<18} {stats(place_latencies, None, None)} {place_queries:>8}")
        normal_p99 = percentile(place_latencies, 0.99)

        # Shoppers browsing while others buy: every order changes one fragrance's
        # stock, which re-renders that fragrance's parts of the stored pages. The
        # ceiling under the same load says what the framework allows meanwhile: the
        # buyers' requests take their share of the same cores.
        buyers = 2
        under_load = {}
        for name, path in (("ceiling", "/bench/ceiling/"), ("parent", parent.get_absolute_url())):
            browsing, buying = run_together(
                SECONDS,
                (lambda shopper: None, page(path), CONCURRENCY - buyers),
                (*checkout, buyers),
            )
            latencies, errors, _done = browsing
            under_load[name] = (len(latencies), buying[2])
            print(
                f"{name + ', 2 buying':<18} {stats(latencies, None, ceiling)} {'':>8} {errors:>7}"
            )
        stop_process(worker)
        delivered = len(smtp.sink.messages)
        smtp.stop()

        # The same checkouts while the mail server accepts connections and never answers:
        # no request talks to it, so "place order" must not notice.
        hanging = HangingServer()
        worker = start_worker(f"smtp://127.0.0.1:{hanging.port}")
        place_latencies.clear()
        _latencies, errors, hung_orders = run_clients(SECONDS, *checkout)
        stop_process(worker)
        hanging.stop()
        print(
            f"{'  place, SMTP hung':<18} {stats(place_latencies, None, None)} {place_queries:>8} "
            f"{errors:>7}"
        )
        print(
            f"\ncheckout: {orders / SECONDS:.1f} orders/s with {CONCURRENCY} concurrent guest "
            f"buyers; a whole guest checkout is {checkout_requests} requests and "
            f"{checkout_queries} SQL queries, {place_queries} of them for place order"
        )
        print(
            f"e-mail: the worker delivered {delivered} e-mails while shoppers bought; with the "
            f"mail server hanging, {hung_orders / SECONDS:.1f} orders/s and place order's p99 is "
            f"{percentile(place_latencies, 0.99) / normal_p99:.2f}× the p99 with it answering"
        )
        print(
            f"browsing while buying: {CONCURRENCY - buyers} shoppers on the parent product page "
            f"while {buyers} guests check out ({under_load['parent'][1] / SECONDS:.1f} orders/s): "
            f"{under_load['parent'][0] / under_load['ceiling'][0]:.2f} of the ceiling under the "
            f"same load ({under_load['ceiling'][1] / SECONDS:.1f} orders/s)"
        )
    finally:
        stop_process(server, timeout=30)


def server_setup() -> str:
    """What deploy/gunicorn.conf.py runs, read from it with this run's environment."""
    config: dict = {}
    exec((ROOT / "deploy" / "gunicorn.conf.py").read_text(), config)
    worker_class, threads = config.get("worker_class", "sync"), config.get("threads", 1)
    return f"{config['workers']} {worker_class} workers" + (
        f" of {threads} threads" if threads > 1 else ""
    )


def percentile(latencies: list[float], fraction: float) -> float:
    latencies = sorted(latencies)
    return latencies[min(len(latencies) - 1, int(len(latencies) * fraction))]


def start_worker(email_url: str) -> subprocess.Popen:
    """The shop's task worker (`manage.py run_worker`), delivering through `email_url`."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "-v0"],
        cwd=ROOT,
        env={**ENV, "EMAIL_URL": email_url},
    )


def stats(latencies: list[float], cpu: float | None, ceiling: float | None) -> str:
    """req/s, its fraction of the ceiling's, p50 and p99 ms, server CPU ms per request
    (blank when not measured)."""
    latencies = sorted(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    rate = len(latencies) / SECONDS
    cpu_ms = f"{cpu * 1000 / len(latencies):.1f}" if cpu is not None else ""
    fraction = f"{rate / ceiling:.2f}" if ceiling else ""
    return (
        f"{rate:>8.1f} {fraction:>8} {statistics.median(latencies) * 1000:>8.1f} "
        f"{p99 * 1000:>8.1f} {cpu_ms:>11}"
    )


if __name__ == "__main__":
    main()
