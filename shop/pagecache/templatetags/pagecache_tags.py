from django import template
from django.utils.safestring import mark_safe

from shop.pagecache.pages import FRAGMENTS, HOLE, is_recording, record_fragment, render_hole

register = template.Library()


@register.simple_tag(takes_context=True)
def hole(context, template_name):
    """Include a per-request template (basket, account links, messages).

    Rendered with the shopper's own state only (`pages.hole_context`), the same
    way whether the page around it is stored or not; while a page is being
    stored, a marker takes its place.
    """
    request = context.get("request")
    if request is None:  # a page rendered without a request (an error page)
        return ""
    if is_recording(request):
        return mark_safe(HOLE.format(template_name))
    return render_hole(template_name, request)


@register.simple_tag(takes_context=True)
def fragment(context, template_name, obj):
    """Include `template_name` with `obj` as its one variable (a registered fragment).

    While a page is being stored, the fragment is stored on its own, under its
    own scope, and a marker takes its place (shop/pagecache/pages.py). The
    template sees nothing else of the page, as when it is rendered alone.
    """
    kind = FRAGMENTS[template_name]
    included = context.template.engine.get_template(template_name)
    html = included.render(context.new({kind.name: obj, "csrf_token": context.get("csrf_token")}))
    request = context.get("request")
    if request is not None and is_recording(request):
        return mark_safe(record_fragment(request, template_name, obj, html))
    return mark_safe(html)
