"""Writes to the guide's pages: the import from the owner's Markdown, share images."""

import difflib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model

from shop.blog.guide import GuideSource, blocks
from shop.blog.images import draw_share_image
from shop.blog.models import Article, Guide

Product = get_model("catalogue", "Product")

DIFF_LINES = 12


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # What differs between the site and the guide, by page, kept as the site has it.
    differing: dict[str, list[str]] = field(default_factory=dict)
    # Imported articles whose section is no longer in the guide (kept, never deleted).
    not_in_guide: list[str] = field(default_factory=list)


def _differences(obj, wanted: dict) -> dict:
    return {name: value for name, value in wanted.items() if getattr(obj, name) != value}


def _describe(obj, changes: dict) -> list[str]:
    """Readable differences: a paragraph-level diff for texts, old → new for the rest."""
    lines = []
    for name, new in changes.items():
        old = getattr(obj, name)
        if isinstance(new, str) and "\n" in f"{old}{new}":
            diff = list(
                difflib.unified_diff(blocks(old), blocks(new), "site", "guide", n=0, lineterm="")
            )[2:]
            shown = [line if len(line) < 100 else line[:97] + "..." for line in diff[:DIFF_LINES]]
            if len(diff) > DIFF_LINES:
                shown.append(f"... {len(diff) - DIFF_LINES} more lines")
            lines.append(f"{name}:")
            lines.extend(f"  {line}" for line in shown)
        else:
            lines.append(f"{name}: site {old!r}, guide {new!r}")
    return lines


def _sync(obj, wanted: dict, *, label: str, overwrite: bool, report: ImportReport) -> None:
    changes = _differences(obj, wanted)
    if not changes:
        report.unchanged.append(label)
    elif overwrite:
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(changes))
        report.replaced.append(label)
    else:
        report.differing[label] = _describe(obj, changes)


def _free_slug(slug: str) -> str:
    candidate, n = slug, 1
    while Article.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


@transaction.atomic
def guide_import(
    *,
    source: GuideSource,
    guide_slug: str,
    related: dict[str, list[str]] | None = None,
    overwrite: bool = False,
) -> ImportReport:
    """Bring the site's guide pages in line with `source`, in guide order.

    New sections become published articles. A page that differs from the
    guide (staff edited it, or the guide changed) is reported and kept, and
    replaced only with `overwrite`. Running it twice writes nothing the
    second time. Related products (by UPC) are added when they exist.
    """
    report = ImportReport()
    related = related or {}

    guide = Guide.objects.select_for_update().filter(slug=guide_slug).first()
    wanted = {"title": source.title, "intro": source.intro}
    if guide is None:
        Guide.objects.create(slug=guide_slug, **wanted)
        report.created.append(guide_slug)
    else:
        _sync(guide, wanted, label=guide_slug, overwrite=overwrite, report=report)

    existing = {a.guide_key: a for a in Article.objects.select_for_update().exclude(guide_key=None)}
    for position, section in enumerate(source.sections, start=1):
        wanted = {
            "title": section.title,
            "summary": section.summary,
            "body": section.body,
            "position": position,
        }
        article = existing.get(section.key)
        if article is None:
            article = Article.objects.create(
                guide_key=section.key,
                slug=_free_slug(section.key),
                status=Article.Status.PUBLISHED,
                **wanted,
            )
            report.created.append(article.slug)
        else:
            title = article.title
            _sync(article, wanted, label=article.slug, overwrite=overwrite, report=report)
            if article.title != title:
                article_draw_share_image(article=article)
        if not article_has_share_image(article):
            article_draw_share_image(article=article)
        upcs = related.get(section.key, [])
        if upcs:
            article.related_products.add(*Product.objects.filter(upc__in=upcs))

    keys = {section.key for section in source.sections}
    report.not_in_guide = sorted(a.slug for key, a in existing.items() if key not in keys)
    return report


def article_has_share_image(article: Article) -> bool:
    image = article.share_image
    return bool(image) and image.storage.exists(image.name)


def article_draw_share_image(*, article: Article) -> None:
    """Draw the article's 1200x630 share image from its title and store it in media."""
    png = draw_share_image(
        title=article.title, shop_name=settings.OSCAR_SHOP_NAME, kicker="A practical guide"
    )
    if article_has_share_image(article):
        article.share_image.storage.delete(article.share_image.name)
    article.share_image.save(f"{article.slug}.png", ContentFile(png), save=False)
    # Not a content change: leave `updated_at` (and the rendered body) alone.
    Article.objects.filter(pk=article.pk).update(share_image=article.share_image.name)
