"""A real SMTP server (aiosmtpd on a loopback port), a port where one hangs, and worker
processes (`manage.py run_worker`) on the test database."""

import email
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from tests.checkout.test_concurrent_checkout import database_url as postgres_url
from tests.checkout.test_concurrent_checkout import free_port

ROOT = django_settings.BASE_DIR


@dataclass
class Sink:
    """aiosmtpd's handler: keeps every message it accepts; `delay` seconds before accepting."""

    delay: float = 0
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [
            str(email.header.make_header(email.header.decode_header(m["Subject"])))
            for m in self.messages
        ]


class SMTPServer:
    """aiosmtpd on 127.0.0.1:port, started and stopped at will (the port stays the same)."""

    def __init__(self, port: int, delay: float = 0):
        self.port = port
        self.sink = Sink(delay=delay)
        self.controller = None

    def start(self):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """The shop's worker delivers through a real SMTP server on a loopback port, which the
    test starts (`smtp.start()`) — until then nothing listens there, as when it is down."""
    server = SMTPServer(free_port())
    settings.SHOP_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


class HangingServer:
    """Accepts TCP connections and never says a word: an SMTP server that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def hanging_smtp(settings):
    server = HangingServer()
    settings.SHOP_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.close()


def database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    return postgres_url(settings_dict)


class WorkerProcess:
    """`manage.py run_worker` on the test database, as production runs it."""

    def __init__(self, log_path, **env):
        environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        environment.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=database_url(),
            SHOP_SCHEDULER_INTERVAL="0.5",
            **env,
        )
        self.log_path = log_path
        self.log_file = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "-v",
                "2",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )

    def kill(self):
        self.process.kill()
        self.process.wait(10)
        self.log_file.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log_file.close()

    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def worker_process(tmp_path):
    """`worker_process(**env)` starts a worker; every one is stopped after the test."""
    started = []

    def start(**env):
        worker = WorkerProcess(tmp_path / f"worker-{len(started)}.log", **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def make_due() -> None:
    """The clock moves on: every waiting task (a retry scheduled for later) is due now."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def wait_until(condition, *, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)
