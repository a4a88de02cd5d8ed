"""Timed jobs: which run is due, and running it once per period whatever the number of
workers (the JobRun unique constraint decides), retried a few times when it fails.

A job is a plain function named in SHOP_JOBS with its period:
    SHOP_JOBS = {"session-clear": {"job": "shop.job.jobs.sessions_clear", "every": 3600}}
with an optional "offset" in seconds (a daily job at 07:00 UTC: every 86400, offset 25200).
"""

import logging
import os
import socket
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from shop.job.models import JobRun, WorkerHeartbeat
from shop.retry import attempt_failed

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def period_start(now: datetime, *, every: int, offset: int = 0) -> datetime:
    """The start of the period `now` falls in (periods of `every` seconds, shifted by
    `offset`, counted in UTC)."""
    elapsed = (now - EPOCH).total_seconds() - offset
    return EPOCH + timedelta(seconds=(elapsed // every) * every + offset)


def jobs_schedule(*, now: datetime | None = None, seen: dict | None = None) -> list[str]:
    """Enqueue every job whose current period has no run yet. Returns the names enqueued
    by this call. `seen` remembers (per worker) the periods already looked at, so an idle
    worker asks the database only when a period begins."""
    from shop.job.tasks import run_job

    now = now or timezone.now()
    seen = {} if seen is None else seen
    enqueued = []
    for name, spec in settings.SHOP_JOBS.items():
        period = period_start(now, every=spec["every"], offset=spec.get("offset", 0))
        if seen.get(name) == period:
            continue
        try:
            with transaction.atomic():
                JobRun.objects.create(name=name, period=period)
                run_job.enqueue(name, period.isoformat())
        except IntegrityError:
            pass  # another worker enqueued this period's run
        else:
            enqueued.append(name)
        seen[name] = period
    return enqueued


def job_run(*, name: str, period: str) -> str:
    """Run one period's job (the task worker's part). A failure is logged and the run is
    retried after SHOP_JOB_RETRY_DELAYS, then marked failed; a done run never runs again."""
    run = JobRun.objects.get(name=name, period=datetime.fromisoformat(period))
    if run.status != JobRun.Status.QUEUED:
        return f"already {run.status}"
    job = import_string(settings.SHOP_JOBS[name]["job"])
    try:
        result = job()
    except Exception as exc:
        return _job_failed(run, exc)
    JobRun.objects.filter(pk=run.pk).update(
        status=JobRun.Status.DONE,
        attempts=run.attempts + 1,
        result="" if result is None else str(result)[:2000],
        finished_at=timezone.now(),
    )
    logger.info("Job %s for %s done: %s", name, period, result)
    return "done"


def _job_failed(run: JobRun, exc: Exception) -> str:
    from shop.job.tasks import run_job

    logger.exception("Job %s for %s failed (attempt %d)", run.name, run.period, run.attempts + 1)
    failure = attempt_failed(
        attempts_before=run.attempts, exc=exc, delays=settings.SHOP_JOB_RETRY_DELAYS
    )
    with transaction.atomic():
        if failure.retry_at is None:
            JobRun.objects.filter(pk=run.pk).update(
                status=JobRun.Status.FAILED,
                attempts=failure.attempts,
                result=failure.error,
                finished_at=timezone.now(),
            )
            return "failed"
        JobRun.objects.filter(pk=run.pk).update(attempts=failure.attempts, result=failure.error)
        run_job.using(run_after=failure.retry_at).enqueue(run.name, run.period.isoformat())
    return "retry"


def worker_heartbeat(*, worker_id: str, started_at: datetime) -> None:
    """The worker is alive; workers silent for a day are forgotten."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": now,
            "started_at": started_at,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
