from django.contrib.sitemaps import Sitemap

from shop.blog.models import Article


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().in_guide_order().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at
