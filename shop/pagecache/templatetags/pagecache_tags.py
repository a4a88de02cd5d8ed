from django import template
from django.utils.safestring import mark_safe

from shop.pagecache.pages import HOLE, is_recording, render_hole

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
