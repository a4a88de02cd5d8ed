from django.apps import AppConfig


class ShopConfig(AppConfig):
    """Project-wide pieces: the demo loader, static files, the home page."""

    name = "shop"
    verbose_name = "Shop"

    def ready(self):
        from django.db.models.signals import post_migrate

        from shop import analytics, security  # noqa: F401  (security registers its check)
        from shop.sites import site_sync

        analytics.connect()
        # After the sites app's own default site (example.com) is made.
        post_migrate.connect(
            site_sync, sender=self.apps.get_app_config("sites"), dispatch_uid="shop-site-sync"
        )
