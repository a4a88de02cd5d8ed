from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.blog.rendering import reading_minutes, render_markdown

MARKDOWN_HELP = _(
    "Markdown. Paragraphs are separated by a blank line; '## Heading' starts a subsection "
    "(listed in the table of contents). Any HTML is cleaned to a few safe tags."
)


class Guide(models.Model):
    """The guide as a whole: its title and introduction, the landing text of /blog/."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    intro = models.TextField(help_text=MARKDOWN_HELP)
    intro_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("guide")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.intro_html = render_markdown(self.intro).html
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "intro_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:index")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff also see drafts and scheduled articles (to preview them)."""
        return self.all() if user.is_staff else self.published()

    def in_guide_order(self):
        return self.order_by("position", "pk")


class Article(models.Model):
    """One section of the guide, as a page of its own."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        help_text=_("One or two sentences: shown in the guide's list and to search engines.")
    )
    body = models.TextField(help_text=MARKDOWN_HELP)
    position = models.PositiveIntegerField(
        default=0, db_index=True, help_text=_("Place in the guide: lower comes first.")
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now, help_text=_("Not shown to the public before this moment.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    related_products = models.ManyToManyField(
        "catalogue.Product",
        blank=True,
        related_name="articles",
        help_text=_("Shown as a card on the article (the cream, for articles about it)."),
    )
    share_image = models.ImageField(upload_to="blog/share/", blank=True, editable=False)
    # Rendered from `body` on save.
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    # The guide section this article was imported from; empty for staff's own articles.
    guide_key = models.CharField(max_length=200, unique=True, null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reading_minutes__gte=1), name="blog_article_reading_minutes_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        rendered = render_markdown(self.body)
        self.body_html, self.toc = rendered.html, rendered.toc
        self.reading_minutes = reading_minutes(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body_html",
                "toc",
                "reading_minutes",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:article-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()
