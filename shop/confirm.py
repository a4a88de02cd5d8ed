"""Oscar's storefront views that act on GET, made to act only on a POST.

A link on another site (or a `?next=` after signing in) must never act for a
signed-in shopper. Each of these views now answers GET with a page asking the
question and a button that POSTs to the same URL, which does what Oscar's GET
did; the links in Oscar's templates and e-mails lead to that page.
`tests/shop/test_no_writes_on_get.py` walks every URL to keep it so.
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver

QUESTIONS = {
    "customer:logout": "Sign out?",
    "customer:address-change-status": "Make this address your default?",
    "customer:alerts-confirm": "Confirm your back-in-stock e-mail alert?",
    "customer:alerts-cancel-by-key": "Cancel your back-in-stock e-mail alert?",
    "customer:alerts-cancel-by-pk": "Cancel your back-in-stock e-mail alert?",
    "customer:wishlists-add-product": "Add this product to your wish list?",
    "customer:wishlists-move-product-to-another": "Move this product to the other wish list?",
}


def confirm_first(view_class, question):
    """The view, acting on POST only; its GET asks first."""

    class ConfirmFirst(view_class):
        def get(self, request, *args, **kwargs):
            return TemplateResponse(request, "shop/confirm.html", {"question": question})

        def post(self, request, *args, **kwargs):
            return view_class.get(self, request, *args, **kwargs)

    ConfirmFirst.__name__ = ConfirmFirst.__qualname__ = f"ConfirmFirst{view_class.__name__}"
    return ConfirmFirst.as_view()


def order_line_redirect(view_class):
    """Oscar's order line page has no template (a 500 on GET): its order instead."""

    class OrderLine(view_class):
        def get(self, request, *args, **kwargs):
            return redirect("customer:order", order_number=kwargs["order_number"])

    return OrderLine.as_view()


def safe_on_get(patterns, namespace=None):
    """Oscar's URL patterns, with the views above replaced; returns the patterns."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                view_class = getattr(pattern.callback, "view_class", None)
                if name in QUESTIONS:
                    pattern.callback = confirm_first(view_class, QUESTIONS[name])
                    found.add(name)
                elif name == "customer:order-line":
                    pattern.callback = order_line_redirect(view_class)
                    found.add(name)

    walk(patterns, namespace)
    missing = {*QUESTIONS, "customer:order-line"} - found
    if missing:
        # An Oscar upgrade renamed or dropped one: look at it again.
        raise LookupError(f"Oscar URLs not found: {sorted(missing)}")
    return patterns
