from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PagecacheConfig(AppConfig):
    """Whole storefront pages served from memory, and the revision that keeps them fresh."""

    name = "shop.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from shop.pagecache import revision

        # After every migrate (and every test database), so tables that later
        # migrations add to the watched apps are watched too.
        post_migrate.connect(revision.install_triggers, sender=self)
