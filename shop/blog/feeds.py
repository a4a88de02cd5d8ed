from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from shop.blog.models import Article


class ArticleFeed(Feed):
    """An Atom feed of the guide's published articles, newest first."""

    feed_type = Atom1Feed
    link = reverse_lazy("blog:index")

    def title(self):
        return f"{settings.OSCAR_SHOP_NAME}: the guide"

    def subtitle(self):
        return settings.OSCAR_SHOP_TAGLINE

    def items(self):
        return Article.objects.published().order_by("-published_at", "position", "pk")

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
