from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from shop.signin.apps import BACK_OFFICE
from shop.signin.throttle import address_allowed, address_attempt_failed, lockout_response

# The back office: two-factor sign-in guards these, except their own sign-in pages.
GUARDED = ("/dashboard/", "/admin/")


def is_back_office(user) -> bool:
    return user.is_authenticated and any(
        all(user.is_staff if perm == "is_staff" else user.has_perm(perm) for perm in perms)
        for perms in BACK_OFFICE
    )


class StaffSessionCookieMiddleware:
    """A back-office user's session cookie is SameSite=Strict.

    A link on another site then arrives without the session: a staff member
    who follows it lands signed out instead of acting in the dashboard.
    Shoppers keep Lax, so a link from an e-mail or a search engine finds them
    signed in. (Above SessionMiddleware, to see the cookie it sets.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
        user = getattr(request, "user", None)
        if cookie is not None and cookie.value and user is not None and is_back_office(user):
            cookie["samesite"] = "Strict"
        return response


class StaffTwoFactorMiddleware:
    """With SHOP_STAFF_TWO_FACTOR on, the dashboard and the admin need a
    verified TOTP token once per session (after django_otp's OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SHOP_STAFF_TWO_FACTOR
            and request.path.startswith(GUARDED)
            and not request.user.is_verified()
            and is_back_office(request.user)
            and not request.path.startswith(self.exempt())
        ):
            return redirect(f"{reverse('signin-dashboard:two-factor')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def exempt():
        return (
            reverse("signin-dashboard:two-factor"),
            reverse("dashboard:login"),
            reverse("dashboard:logout"),
            reverse("admin:login"),
            reverse("admin:logout"),
        )


class PasswordResetThrottleMiddleware:
    """Each password-reset request counts against the client address, like a
    failed sign-in: no flood of reset e-mails, no probing of addresses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match.view_name != "password-reset":
            return None
        if not address_allowed(request):
            return lockout_response(request)
        address_attempt_failed(request, sender=type(self))
        return None
