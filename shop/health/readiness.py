"""Whether this app server can do its work: what /readyz reports.

Each check is one cheap query or cache call, so a load balancer may ask every second.
The database and the task worker decide readiness; the cache is reported, not required
(Redis is optional at run time: every cache call falls back to a miss).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Max, Min, When
from django.utils import timezone


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def cache_ok() -> bool:
    """A write then a read; the backend already turns Redis errors into misses."""
    try:
        cache.set("health:readyz", "1", 10)
        return cache.get("health:readyz") == "1"
    except Exception:  # a cache backend without IGNORE_EXCEPTIONS (locmem never raises)
        return False


def task_queue() -> dict:
    """Tasks ready to run and how long the oldest has waited since it became due."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    due = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    row = DBTaskResult.objects.ready().aggregate(depth=Count("id"), oldest=Min(due))
    age = (timezone.now() - row["oldest"]).total_seconds() if row["oldest"] else 0.0
    return {"depth": row["depth"], "oldest_age": round(max(age, 0.0), 1)}


def worker_age() -> float | None:
    """Seconds since the most recent heartbeat of any task worker; None when there is none."""
    from shop.job.models import WorkerHeartbeat

    latest = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    return None if latest is None else round((timezone.now() - latest).total_seconds(), 1)


def readiness() -> tuple[bool, dict]:
    """(ready, report). Not ready: no database, no worker heard from lately, or a task
    waiting longer than SHOP_READY_TASK_AGE seconds."""
    report: dict = {"database": database_ok(), "cache": cache_ok()}
    if not report["database"]:
        return False, report
    try:
        report["tasks"] = task_queue()
        report["worker_age"] = worker_age()
    except DatabaseError:
        report["database"] = False
        return False, report
    worker_fresh = (
        report["worker_age"] is not None
        and report["worker_age"] <= settings.SHOP_READY_WORKER_SILENCE
    )
    ready = worker_fresh and report["tasks"]["oldest_age"] <= settings.SHOP_READY_TASK_AGE
    return ready, report
