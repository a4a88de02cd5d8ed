"""Timed jobs: due once per period whatever the number of workers, retried when they fail."""

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from shop.job.models import JobRun, WorkerHeartbeat
from shop.job.services import jobs_schedule, period_start
from tests.conftest import run_ready_tasks
from tests.mail.conftest import wait_until

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_periods():
    assert period_start(NOON + timedelta(minutes=7), every=300) == NOON + timedelta(minutes=5)
    daily = {"every": 86400, "offset": 7 * 3600}  # 07:00 UTC
    assert period_start(NOON, **daily) == NOON.replace(hour=7)
    assert period_start(NOON.replace(hour=6), **daily) == NOON.replace(hour=7) - timedelta(days=1)


@pytest.fixture
def jobs(settings):
    settings.SHOP_JOBS = {
        "ping": {"job": "tests.job.test_services.ping", "every": 60},
        "broken": {"job": "tests.job.test_services.broken", "every": 3600},
    }
    settings.SHOP_JOB_RETRY_DELAYS = [0, 0]
    PING_CALLS.clear()


PING_CALLS = []


def ping():
    PING_CALLS.append(1)
    return "pong"


def broken():
    raise RuntimeError("the job's service is away")


def test_two_workers_in_one_period_enqueue_each_job_once(jobs):
    worker_a, worker_b = {}, {}

    assert sorted(jobs_schedule(now=NOON, seen=worker_a)) == ["broken", "ping"]
    assert jobs_schedule(now=NOON, seen=worker_b) == []
    assert jobs_schedule(now=NOON + timedelta(seconds=30), seen={}) == []  # a restarted worker
    assert jobs_schedule(now=NOON + timedelta(seconds=61), seen=worker_b) == ["ping"]

    assert Counter(JobRun.objects.values_list("name", flat=True)) == {"ping": 2, "broken": 1}


def test_a_job_runs_once_and_a_failing_one_is_retried_then_marked_failed(jobs, caplog):
    jobs_schedule(now=NOON)

    with caplog.at_level(logging.ERROR, logger="shop.job.services"):
        run_ready_tasks()

    assert PING_CALLS == [1]
    ping_run = JobRun.objects.get(name="ping")
    assert (ping_run.status, ping_run.result) == ("done", "pong")
    broken_run = JobRun.objects.get(name="broken")
    assert (broken_run.status, broken_run.attempts) == ("failed", 3)
    assert "the job's service is away" in broken_run.result
    assert caplog.text.count("Job broken") == 3  # every failure is logged

    from shop.job.tasks import run_job

    run_job.enqueue("ping", ping_run.period.isoformat())  # a task delivered twice
    run_ready_tasks()
    assert PING_CALLS == [1]


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_run_each_timed_job_once_per_period(worker_process):
    # Every job every 2 s, two workers polling twice a second for about 7 s.
    workers = [worker_process(SHOP_TEST_JOBS_EVERY="2") for _ in range(2)]
    wait_until(
        lambda: JobRun.objects.filter(name="session-clear").count() >= 4,
        timeout=60,
        message="the workers ran no timed jobs",
    )
    assert WorkerHeartbeat.objects.count() == 2
    for worker in workers:
        worker.stop()
    connection.close()

    runs = list(JobRun.objects.values_list("name", "period", "status"))
    tasks = Counter(
        (task.args_kwargs["args"][0], task.args_kwargs["args"][1])
        for task in DBTaskResult.objects.filter(task_path="shop.job.tasks.run_job")
    )
    assert set(tasks.values()) == {1}  # one task per job and period, whichever worker made it
    assert len(tasks) == len(runs)
    assert {status for _, _, status in runs} <= {"done", "queued"}  # queued: cut off by the stop
    assert WorkerHeartbeat.objects.count() == 0  # a worker that stops says so (/readyz)
    logs = "".join(worker.log() for worker in workers)
    assert "Traceback" not in logs, logs
    print(f"{len(runs)} job runs over {len({p for _, p, _ in runs})} periods by 2 workers")
