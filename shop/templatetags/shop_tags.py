from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from oscar.core.thumbnails import get_thumbnailer
from oscar.templatetags.currency_filters import currency as currency_filter

from shop import sanitise
from shop.basket.summary import basket_item_count

register = template.Library()


@register.simple_tag
def medical_attention_url():
    """The guide's article on when QL muscle pain needs medical attention."""
    return reverse("blog:article-detail", kwargs={"slug": settings.BLOG_MEDICAL_ARTICLE_SLUG})


@register.simple_tag(takes_context=True)
def basket_items(context):
    """How many jars are in the shopper's basket (shop/basket/summary.py)."""
    return basket_item_count(context["request"])


@register.simple_tag
def responsive_image(image, alt, widths="400,800", sizes="100vw", eager=False, css_class=""):
    """An <img> with WebP thumbnails from Oscar's thumbnailer, a srcset and its real size.

    `image` is a ProductImage (or None); a missing or unreadable file gives the
    placeholder, never an error.
    """
    source = getattr(image, "original", None)
    thumbnailer = get_thumbnailer()
    thumbs = []
    for width in str(widths).split(","):
        thumb = thumbnailer.generate_thumbnail(source, size=f"{width.strip()}x{width.strip()}")
        if all(t.url != thumb.url for t in thumbs):
            thumbs.append(thumb)
    first = thumbs[0]
    srcset = format_html_join(", ", "{} {}w", ((t.url, t.width) for t in thumbs))
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}"'
        ' loading="{}" decoding="async"{}>',
        first.url,
        srcset,
        sizes,
        first.width,
        first.height,
        alt,
        css_class,
        "eager" if eager else "lazy",
        mark_safe(' fetchpriority="high"') if eager else "",
    )


@register.filter
def sanitised(value):
    """Staff-entered HTML (descriptions, flat pages): keep the formatting, drop scripts."""
    return sanitise.sanitised(value)


@register.filter
def with_vat(price, currency=None):
    """An Oscar price (a shipping charge, an order total) as the shop shows it: with VAT
    once the tax is known, without it until then. (Oscar's templates also offer prices
    without VAT through `show_tax_separately`, which the shop, selling in the UK, never sets.)"""
    return currency_filter(price.incl_tax if price.is_tax_known else price.excl_tax, currency)
