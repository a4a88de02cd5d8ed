from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def trader():
    """The trader's identity (settings.SHOP_TRADER): for pages and e-mails alike, which
    Oscar renders without a request or context processors."""
    return settings.SHOP_TRADER


@register.simple_tag
def terms_version():
    return settings.SHOP_TERMS_VERSION


@register.inclusion_tag("trader/partials/trader_line.html")
def trader_line():
    return {"trader": settings.SHOP_TRADER}
