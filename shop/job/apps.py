from django.apps import AppConfig


class JobConfig(AppConfig):
    """Timed jobs run by the task worker, once per period however many workers run."""

    name = "shop.job"
    label = "job"
    verbose_name = "Timed jobs"
