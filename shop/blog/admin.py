from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from shop.blog.models import Article, Guide
from shop.blog.services import article_draw_share_image


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "updated_at"]
    readonly_fields = ["updated_at"]
    fields = ["title", "slug", "intro", "updated_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Staff write, reorder (position) and (un)publish articles; "View on site" previews
    an article, drafts included, to staff."""

    list_display = ["title", "position", "status", "published_at", "updated_at", "reading_minutes"]
    list_display_links = ["title"]
    list_editable = ["position", "status"]
    list_filter = ["status"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["related_products"]
    readonly_fields = ["updated_at", "reading_minutes", "guide_key"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at", "position", "updated_at"]}),
        (_("Related"), {"fields": ["related_products", "reading_minutes", "guide_key"]}),
    ]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "title" in form.changed_data or not obj.share_image:
            article_draw_share_image(article=obj)

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        count = queryset.update(status=Article.Status.PUBLISHED)
        self.message_user(request, _("%d published.") % count, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected articles (staff still see them)"))
    def unpublish(self, request, queryset):
        count = queryset.update(status=Article.Status.DRAFT)
        self.message_user(request, _("%d unpublished.") % count, messages.SUCCESS)
