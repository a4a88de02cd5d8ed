from django.apps import AppConfig


class ShopConfig(AppConfig):
    """Project-wide pieces: the demo loader, static files, the home page."""

    name = "shop"
    verbose_name = "Shop"

    def ready(self):
        from shop import analytics

        analytics.connect()
