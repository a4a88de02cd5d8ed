"""The shared cache with Redis away: a real redis-server, stopped and frozen (SIGSTOP)."""

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

PORT = 16381


def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"redis-server did not start on {port}")


@pytest.fixture
def redis_cache():
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(PORT)
    backend = settings.REDIS_CACHE
    cache = import_string(backend["BACKEND"])(
        f"redis://127.0.0.1:{PORT}/0", {"OPTIONS": backend["OPTIONS"]}
    )
    yield server, cache
    server.send_signal(signal.SIGCONT)
    server.kill()
    server.wait()


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def test_a_frozen_redis_is_a_quick_miss(redis_cache):
    server, cache = redis_cache
    cache.set("k", "v")
    assert cache.get("k") == "v"

    server.send_signal(signal.SIGSTOP)
    value, seconds = timed(lambda: cache.get("k"))
    assert value is None
    assert seconds < 2 * settings.SHOP_CACHE_TIMEOUT + 0.1
    _, seconds = timed(lambda: cache.set("k", "w"))
    assert seconds < 2 * settings.SHOP_CACHE_TIMEOUT + 0.1

    server.send_signal(signal.SIGCONT)
    assert cache.get("k") == "v"


def test_a_stopped_redis_is_a_quick_miss_and_comes_back(redis_cache):
    server, cache = redis_cache
    server.kill()
    server.wait()
    value, seconds = timed(lambda: cache.get("k"))
    assert value is None
    assert seconds < 2 * settings.SHOP_CACHE_TIMEOUT + 0.1
    cache.set("k", "v")  # no exception

    restarted = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(PORT)
        cache.set("k", "v")
        assert cache.get("k") == "v"
    finally:
        restarted.kill()
        restarted.wait()
