from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    """Whole storefront pages served from memory, and the revisions that keep them fresh."""

    name = "shop.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from shop.pagecache import checks  # noqa: F401  (registers the checks)
