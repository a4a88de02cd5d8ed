from django.conf import settings
from django.db.models import Min, Prefetch
from django.utils import timezone
from django.views.generic import DetailView, TemplateView
from oscar.core.loading import get_model

from shop.blog.guide import summarise
from shop.blog.models import Article, Guide
from shop.pagecache.pages import CachedPageMixin

Product = get_model("catalogue", "Product")

# What the list and the navigation need; never the bodies.
OUTLINE_FIELDS = ("pk", "slug", "title", "position", "status", "published_at")


class GuidePageMixin(CachedPageMixin):
    """Stored for anonymous readers until the guide changes, or an article's
    scheduled time comes."""

    page_models = ("blog.Article", "blog.Guide", "catalogue.Product", "catalogue.ProductImage")

    def page_seconds(self):
        scheduled = Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        ).aggregate(first=Min("published_at"))["first"]
        return None if scheduled is None else (scheduled - timezone.now()).total_seconds()


class ArticleListView(GuidePageMixin, TemplateView):
    """/blog/: the guide's introduction, then its articles in guide order."""

    template_name = "blog/article_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["guide"] = guide = Guide.objects.order_by("pk").first()
        ctx["description"] = summarise(guide.intro) if guide else ""
        ctx["articles"] = (
            Article.objects.visible_to(self.request.user)
            .in_guide_order()
            .only(*OUTLINE_FIELDS, "summary", "reading_minutes")
        )
        ctx["medical_article"] = _medical_article(ctx["articles"])
        return ctx


class ArticleDetailView(GuidePageMixin, DetailView):
    """/blog/<slug>/: one article, with its place in the guide. Drafts: staff only."""

    template_name = "blog/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).prefetch_related(
            Prefetch(
                "related_products",
                queryset=Product.objects.filter(is_public=True).prefetch_related("images"),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        article = self.object
        outline = list(
            Article.objects.visible_to(self.request.user).in_guide_order().only(*OUTLINE_FIELDS)
        )
        place = (article.position, article.pk)
        ctx["previous_article"] = next(
            (a for a in reversed(outline) if (a.position, a.pk) < place), None
        )
        ctx["next_article"] = next((a for a in outline if (a.position, a.pk) > place), None)
        ctx["medical_article"] = _medical_article(outline)
        ctx["products"] = list(article.related_products.all())
        return ctx


def _medical_article(articles):
    """The article the "not medical advice" note links to, when it is there to see."""
    return next((a for a in articles if a.slug == settings.BLOG_MEDICAL_ARTICLE_SLUG), None)
