from django import template

from shop.payment.views import refund_context

register = template.Library()


@register.simple_tag
def refund_form(order) -> dict:
    """The dashboard order page's refund form and past refunds (no fork of Oscar's view)."""
    return refund_context(order)
