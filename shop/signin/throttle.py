"""Throttled sign-in with django-axes: what axes is told and what the shopper sees.

Axes counts failed sign-ins per account and per client address (settings:
AXES_*). Wrong voucher codes and password-reset requests count against the
client address only, through the same records, so guessing either is as slow
as guessing passwords, and staff unlock all of them in one place.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

# No account: these count against the client address alone.
ADDRESS_ONLY = {"username": None}


def lockout_parameters(request, credentials):
    """A sign-in counts per account and per address; other attempts per address."""
    if credentials and credentials.get("username"):
        return ["username", "ip_address"]
    return ["ip_address"]


def normalise_username(request, credentials):
    """E-mail addresses in any case are one account."""
    username = (credentials or {}).get("username")
    return username.strip().lower() if isinstance(username, str) else username


def wait_minutes(request):
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else None


def lockout_response(request, original_response=None, credentials=None):
    return render(
        request,
        "signin/lockout.html",
        {"minutes": wait_minutes(request)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def address_allowed(request) -> bool:
    return AxesProxyHandler.is_allowed(request, ADDRESS_ONLY)


def address_attempt_failed(request, sender) -> None:
    """Count one failed attempt (a wrong voucher code, a reset request) against the address."""
    user_login_failed.send(sender=sender, credentials=ADDRESS_ONLY, request=request)
