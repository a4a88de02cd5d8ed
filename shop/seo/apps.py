from django.apps import AppConfig


class SeoConfig(AppConfig):
    """Shop-wide findability: the sitemap, meta and Open Graph tags, structured data."""

    name = "shop.seo"
    label = "seo"
    verbose_name = "SEO"
