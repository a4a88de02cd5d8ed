"""Worker processes (`manage.py run_worker`) on the test database. The mail servers they
deliver to are the `smtp` and `hanging_smtp` fixtures of tests/conftest.py."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.servers import database_url, stop_process

ROOT = django_settings.BASE_DIR


class WorkerProcess:
    """`manage.py run_worker` on the test database, as production runs it."""

    def __init__(self, log_path, **env):
        environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        environment.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=database_url(connection.settings_dict),
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
        # Time to stop, within systemd's (TimeoutStopSec=60): a worker waiting for SQLite's lock
        # (up to its 20 s timeout) only then sees the signal, and must still stop cleanly.
        stop_process(self.process, timeout=30)
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
