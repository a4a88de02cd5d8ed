import secrets

import segno
from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import FormView, ListView
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

SETUP_SALT = "shop.signin.two-factor-setup"
SETUP_MAX_AGE = 15 * 60


def _next_url(request, default):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


class TwoFactorVerifyView(FormView):
    """After the password: the code from the authenticator app, once per session."""

    template_name = "signin/two_factor_verify.html"
    form_class = OTPTokenForm

    def dispatch(self, request, *args, **kwargs):
        if not TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
            return redirect(
                f"{reverse('signin-dashboard:two-factor-setup')}?next="
                f"{_next_url(request, reverse('dashboard:index'))}"
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        otp_login(self.request, self.request.user.otp_device)
        return redirect(_next_url(self.request, reverse("dashboard:index")))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request, ""), **kwargs)


class SetupForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    token = forms.CharField(
        label="Code from the app",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        try:
            payload = signing.loads(data.get("key", ""), salt=SETUP_SALT, max_age=SETUP_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                "This set-up page has expired: scan the new code and try again."
            ) from None
        if payload.get("user") != self.user.pk:
            raise forms.ValidationError("This set-up page belongs to another account.")
        token = data.get("token", "").strip()
        if not (token.isdigit() and TOTP(bytes.fromhex(payload["key"])).verify(int(token), 1)):
            self.add_error("token", "That code is not right: check the time on your phone.")
        data["hex_key"] = payload["key"]
        return data


class TwoFactorSetupView(FormView):
    """Enrolment: scan a new key into an authenticator app, prove it with a code.

    The key travels signed in the form until a code proves it, so nothing is
    stored before that (no write on GET). Replacing a device needs a session
    already verified with the old one: a password alone cannot swap it.
    """

    template_name = "signin/two_factor_setup.html"
    form_class = SetupForm

    def dispatch(self, request, *args, **kwargs):
        has_device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
        if has_device and not request.user.is_verified():
            return redirect(reverse("signin-dashboard:two-factor"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"key": self._signed_key(self._key_from_post() or secrets.token_hex(20))}

    def _key_from_post(self):
        try:
            payload = signing.loads(
                self.request.POST.get("key", ""), salt=SETUP_SALT, max_age=SETUP_MAX_AGE
            )
        except signing.BadSignature:
            return None
        return payload["key"] if payload.get("user") == self.request.user.pk else None

    def _signed_key(self, hex_key):
        self.hex_key = hex_key
        return signing.dumps({"key": hex_key, "user": self.request.user.pk}, salt=SETUP_SALT)

    def form_invalid(self, form):
        # The same key again (the app has it already), or a new one if it expired.
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        fresh = self.form_class(user=self.request.user, initial=self.get_initial())
        return self.render_to_response(self.get_context_data(form=fresh, errors=errors))

    def form_valid(self, form):
        TOTPDevice.objects.filter(user=self.request.user).delete()
        device = TOTPDevice.objects.create(
            user=self.request.user,
            name="Authenticator app",
            key=form.cleaned_data["hex_key"],
            confirmed=True,
        )
        otp_login(self.request, device)
        messages.success(self.request, "Two-factor sign-in is set up for your account.")
        return redirect(_next_url(self.request, reverse("dashboard:index")))

    def get_context_data(self, **kwargs):
        if not hasattr(self, "hex_key"):
            self.get_initial()
        device = TOTPDevice(user=self.request.user, key=self.hex_key, name="Authenticator app")
        return super().get_context_data(
            # segno draws the QR code as inline SVG: no image request, no data: URL.
            qr_svg=mark_safe(segno.make(device.config_url).svg_inline(scale=4)),  # noqa: S308
            secret=device.bin_key.hex().upper(),
            next=_next_url(self.request, ""),
            **kwargs,
        )


class LockoutListView(ListView):
    """Sign-in attempts that failed recently: who, from where, how often; unlock."""

    template_name = "signin/lockout_list.html"
    context_object_name = "attempts"
    paginate_by = 50

    def get_queryset(self):
        return AccessAttempt.objects.order_by("-attempt_time")


class LockoutUnlockView(View):
    def post(self, request):
        attempt = AccessAttempt.objects.filter(pk=request.POST.get("attempt", "")).first()
        if attempt is None:
            messages.info(request, "That lockout had already ended.")
        else:
            reset(ip=attempt.ip_address, username=attempt.username)
            who = attempt.username or attempt.ip_address
            messages.success(request, f"Unlocked {who}: they can sign in again now.")
        return redirect("signin-dashboard:lockout-list")
