from django.apps import AppConfig


class HealthConfig(AppConfig):
    """What operations ask of the shop: liveness, readiness, metrics, request logs."""

    name = "shop.health"
    label = "health"
    verbose_name = "Health"

    def ready(self):
        from django_structlog import signals
        from oscar.core.loading import get_class

        from shop.health import logs

        logs.configure()
        order_placed = get_class("order.signals", "order_placed")
        order_placed.connect(logs.bind_order_number, dispatch_uid="health-order-number")
        signals.bind_extra_request_failed_metadata.connect(
            logs.failed_request_code, dispatch_uid="health-failed-request-code"
        )
