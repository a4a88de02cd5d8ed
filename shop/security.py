"""Response headers that keep shoppers' data where it belongs, and who is asking.

The header middlewares work on the finished response, so a page served from the
page cache (shop/pagecache) gets the same headers as one rendered afresh.
"""

import ipaddress

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core import checks
from django.http import Http404
from django.utils.cache import patch_cache_control


def client_address(request) -> str | None:
    """The shopper's address, for every limit kept per address: sign-in throttling,
    sign-ups, open unpaid orders, contact messages.

    REMOTE_ADDR, or behind a proxy the header it sets (`SHOP_CLIENT_ADDRESS_HEADER`;
    deploy/'s nginx sends X-Real-IP). Behind a proxy REMOTE_ADDR is the proxy's, and
    every shopper would share one limit. None when it is not an address.
    """
    value = request.META.get(settings.SHOP_CLIENT_ADDRESS_HEADER or "REMOTE_ADDR", "")
    try:
        # The last entry is the proxy's own (X-Forwarded-For: what the client sent, then
        # the address the proxy saw); X-Real-IP has only that one.
        return str(ipaddress.ip_address(value.rsplit(",", 1)[-1].strip()))
    except ValueError:
        return None


@checks.register(checks.Tags.security, deploy=True)
def check_client_address_behind_proxy(app_configs, **kwargs):
    """Behind a TLS proxy REMOTE_ADDR is the proxy's: without the header every shopper
    shares one address, and one password guesser locks everyone's sign-in."""
    if settings.SECURE_PROXY_SSL_HEADER and not settings.SHOP_CLIENT_ADDRESS_HEADER:
        return [
            checks.Warning(
                "Behind a proxy (DJANGO_BEHIND_TLS_PROXY) with no SHOP_CLIENT_ADDRESS_HEADER, "
                "every shopper has the proxy's address: sign-in throttling, sign-up, open-order "
                "and contact limits would be shared by all.",
                hint="Set SHOP_CLIENT_ADDRESS_HEADER=HTTP_X_REAL_IP with nginx's "
                "`proxy_set_header X-Real-IP $remote_addr;` (deploy/nginx/shop.conf).",
                id="shop.W001",
            )
        ]
    return []


class RefuseNulBytesMiddleware:
    """A NUL byte in the path is "not found".

    No URL of the shop has one, and PostgreSQL refuses NUL in text: a view that
    looked up a path's order number, alert key or page URL with one failed
    with a 500 there (SQLite just found nothing). Query strings are read by
    forms, whose fields refuse NUL with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No such page.")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the back office's looser policy under its prefixes.

    The storefront's policy is `CONTENT_SECURITY_POLICY`; Oscar's dashboard and
    Django's admin get `SHOP_CSP_BACK_OFFICE` (see the settings for why).
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(tuple(settings.SHOP_CSP_BACK_OFFICE_PREFIXES)):
            parts.config = settings.SHOP_CSP_BACK_OFFICE
        elif settings.STRIPE_SECRET_KEY:
            # With card payments on, "Place order and pay" ends in a redirect to Stripe's
            # hosted page, and browsers hold a form's redirects to its form-action.
            parts.update = {
                **(parts.update or {}),
                "form-action": [settings.STRIPE_CHECKOUT_ORIGIN],
            }
        return parts


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every page that can show personal data.

    Addresses, orders, bank details and account data live under a few path
    prefixes (`SHOP_PRIVATE_PATH_PREFIXES`): no shared cache may keep them, and
    no browser may keep them on disk, also after the shopper signs out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(tuple(settings.SHOP_PRIVATE_PATH_PREFIXES)):
            patch_cache_control(response, private=True, no_store=True)
        return response
