"""The one retry rule for work the task worker tries again (e-mail deliveries, timed jobs)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Failure:
    """A failed attempt: how many attempts there have been, what went wrong (for the
    record, at most 2,000 characters), and when to try again (None: give up)."""

    attempts: int
    error: str
    retry_at: datetime | None


def attempt_failed(*, attempts_before: int, exc: Exception, delays: list[float]) -> Failure:
    """`delays` are the waits (seconds) before each retry in turn; once they are spent,
    the work has failed for good."""
    attempts = attempts_before + 1
    retry_at = None
    if attempts <= len(delays):
        retry_at = timezone.now() + timedelta(seconds=delays[attempts - 1])
    return Failure(
        attempts=attempts, error=f"{type(exc).__name__}: {exc}"[:2000], retry_at=retry_at
    )
