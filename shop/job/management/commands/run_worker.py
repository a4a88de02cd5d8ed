"""`manage.py run_worker`: the shop's task worker.

django-tasks-db's worker (`db_worker`, same options) runs the queued tasks — e-mails, timed
jobs — and, beside it in a thread, this worker enqueues the timed jobs of SHOP_JOBS when
their period begins and writes its heartbeat. Run as many as you like, on as many machines:
each task is claimed by one (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL) and each job
period is enqueued once (a unique constraint).
"""

import contextlib
import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from shop.job.models import WorkerHeartbeat
from shop.job.services import jobs_schedule, worker_heartbeat

logger = logging.getLogger("shop.job")


def schedule_forever(worker_id: str, stopping: threading.Event) -> None:
    started_at = timezone.now()
    seen: dict = {}
    while not stopping.is_set():
        try:
            worker_heartbeat(worker_id=worker_id, started_at=started_at)
            for name in jobs_schedule(seen=seen):
                logger.info("Timed job %s enqueued", name)
        except Exception:
            # The database is away: say so, and try again at the next tick.
            logger.exception("Could not schedule the timed jobs; trying again shortly")
        finally:
            connections.close_all()
        stopping.wait(settings.SHOP_SCHEDULER_INTERVAL)


class Command(db_worker.Command):
    help = "Run the shop's task worker: e-mails, timed jobs and their schedule"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False, queue_name="*")

    def handle(self, *args, **options):
        # With --reload the command runs again in the reloader's child: schedule there only.
        stopping = threading.Event()
        scheduler = threading.Thread(
            target=schedule_forever, args=(options["worker_id"], stopping), daemon=True
        )
        if not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            scheduler.start()
        try:
            while True:
                try:
                    super().handle(*args, **options)
                    return
                except (OperationalError, InterfaceError):
                    # The database is away (a restart, a failover): wait for it here rather
                    # than exit, so a worker outlives a blip without a supervisor's restart.
                    # A stop signal meanwhile still ends the worker (db_worker's handler).
                    logger.exception("The database is away; the worker starts again shortly")
                    connections.close_all()
                    time.sleep(settings.SHOP_SCHEDULER_INTERVAL)
        finally:
            # Stopped: /readyz stops counting on this worker at once, not after its silence
            # (the scheduler stops first, or its next heartbeat would write the row again).
            stopping.set()
            if scheduler.is_alive():
                scheduler.join(timeout=10)
            with contextlib.suppress(DatabaseError):
                WorkerHeartbeat.objects.filter(worker_id=options["worker_id"]).delete()
