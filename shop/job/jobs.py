"""The timed jobs of SHOP_JOBS that belong to no other app: housekeeping."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")


def sessions_clear() -> str:
    """Expired sessions are deleted (Django's clearsessions)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return "expired sessions cleared"


def baskets_clear_abandoned() -> str:
    """Open baskets of guests whose basket cookie has expired can never be reached again."""
    cutoff = timezone.now() - timedelta(
        seconds=settings.OSCAR_BASKET_COOKIE_LIFETIME + settings.SHOP_ABANDONED_BASKET_GRACE
    )
    deleted, _ = Basket.objects.filter(
        owner__isnull=True, status=Basket.OPEN, date_created__lt=cutoff
    ).delete()
    return f"{deleted} rows of abandoned baskets deleted"


def task_results_prune() -> str:
    """Finished task records older than SHOP_TASK_RESULTS_DAYS are deleted (the outbox and
    the job runs keep what staff need to see)."""
    cutoff = timezone.now() - timedelta(days=settings.SHOP_TASK_RESULTS_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return f"{deleted} finished task records deleted"
