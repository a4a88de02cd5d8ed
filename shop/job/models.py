from django.db import models


class JobRun(models.Model):
    """One run of a timed job for one period. The unique constraint is what makes several
    workers run a job once per period: the worker whose INSERT succeeds enqueues it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    name = models.CharField(max_length=64)
    period = models.DateTimeField(help_text="Start of the period this run is for.")
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="job_run_once_per_period")
        ]

    def __str__(self):
        return f"{self.name} @ {self.period:%Y-%m-%d %H:%M} ({self.status})"


class WorkerHeartbeat(models.Model):
    """Each running task worker says it is alive every few seconds (readiness checks)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid}), seen {self.seen_at:%H:%M:%S}"
