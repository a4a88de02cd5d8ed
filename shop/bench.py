"""`make bench`: the shop production-style on PostgreSQL, under concurrent load.

Starts gunicorn (2 sync workers, DEBUG off, persistent connections) on a
benchmark database, loads the demo store, then drives each page with
concurrent keep-alive clients and prints requests/s, p50/p99 latency, the
server's CPU time per request (from /proc, summed over gunicorn's processes)
and the SQL queries the page makes. Timing is measured here, never asserted in
tests.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shop_bench),
BENCH_CONCURRENCY (8), BENCH_SECONDS (10 per page), BENCH_PORT (8765).
"""

import http.client
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop_bench")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = 2

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "shop.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-" + "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_HTTPS": "false",
    "SHOP_SERVE_MEDIA": "true",
    "DJANGO_MEDIA_ROOT": tempfile.mkdtemp(prefix="shop-bench-media-"),
    "DJANGO_LOG_LEVEL": "WARNING",
    "DEFAULT_FROM_EMAIL": "bench@example.com",
    "SHOP_RESPONSIBLE_PERSON": "Benchmark only",
    "SHOP_BANK_ACCOUNT_NAME": "Benchmark only",
    "SHOP_BANK_SORT_CODE": "00-00-00",
    "SHOP_BANK_ACCOUNT_NUMBER": "00000000",
    "SHOP_BANK_IBAN": "none",
    "SHOP_BANK_BIC": "none",
}


def create_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
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


def drive(path: str, seconds: float) -> tuple[list[float], int]:
    """CONCURRENCY keep-alive clients requesting `path` for `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                ok = False
            mine.append(time.perf_counter() - start)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def count_queries(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def main() -> None:
    create_database()
    manage("migrate", "--noinput", "-v0")
    manage("load_demo_store", "-v0")
    manage("collectstatic", "--noinput", "-v0")

    os.environ.update(ENV)
    import django

    django.setup()
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    parent = Product.objects.get(upc="MGC-100")
    child = Product.objects.get(upc="MGC-100-CLS")
    pages = [
        ("home", "/"),
        ("catalogue", "/catalogue/"),
        ("product (parent)", parent.get_absolute_url()),
        ("product (child)", child.get_absolute_url()),
    ]

    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "shop.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        print(
            f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
            f"gunicorn {WORKERS} sync workers; PostgreSQL; {CONCURRENCY} concurrent clients, "
            f"{SECONDS:g} s per page\n"
        )
        header = f"{'page':<18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11}"
        print(header + f" {'queries':>8} {'errors':>7}")
        for name, path in pages:
            drive(path, 1.0)  # warm up: connections, caches, thumbnails
            before = cpu_seconds(server.pid)
            latencies, errors = drive(path, SECONDS)
            cpu = cpu_seconds(server.pid) - before
            latencies.sort()
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            print(
                f"{name:<18} {len(latencies) / SECONDS:>8.1f} "
                f"{statistics.median(latencies) * 1000:>8.1f} {p99 * 1000:>8.1f} "
                f"{cpu * 1000 / len(latencies):>11.1f} {count_queries(path):>8} {errors:>7}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
