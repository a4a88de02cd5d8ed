import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from shop.seo import structured_data

register = template.Library()

# As Django's json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def product_group_json_ld(context, family):
    request = context["request"]
    return json_ld(structured_data.product_group(family, build_url=request.build_absolute_uri))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return json_ld(
        structured_data.article(article, build_url=context["request"].build_absolute_uri)
    )
