"""Registration by e-mailed link: the sign-up form never tells whether an address has an
account.

`signup_request` answers every address the same way, at the same cost: it hashes the
password, writes one SignupRequest row and queues one e-mail. An address with no account
gets a link; one with an account gets a note that it has one (sign in, or reset the
password). No account exists until the link is opened and its page's button pressed
(`signup_confirm`).
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from enum import Enum
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from oscar.apps.customer.forms import generate_username
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.utils import get_password_reset_url, normalise_email
from oscar.core.compat import get_user_model
from oscar.core.loading import get_class, get_model

from shop.mail.services import email_event

logger = logging.getLogger(__name__)

Dispatcher = get_class("communication.utils", "Dispatcher")
CustomerDispatcher = get_class("customer.utils", "CustomerDispatcher")
SignupRequest = get_model("customer", "SignupRequest")
EmailChangeRequest = get_model("customer", "EmailChangeRequest")

# The e-mails' codes: Oscar's communication templates commtype_<code>_{subject,body}.txt.
SIGNUP_LINK = "SIGNUP_LINK"
SIGNUP_ACCOUNT_EXISTS = "SIGNUP_ACCOUNT_EXISTS"
EMAIL_CHANGE_LINK = "EMAIL_CHANGE_LINK"
EMAIL_CHANGE_ACCOUNT_EXISTS = "EMAIL_CHANGE_ACCOUNT_EXISTS"
# The backend the new customer is signed in with (the shop's one e-mail backend).
BACKEND = "shop.signin.backends.EmailBackend"
THROTTLE_WINDOW = timedelta(hours=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_lifetime() -> timedelta:
    return timedelta(hours=settings.SHOP_SIGNUP_LINK_HOURS)


def signup_request(*, email: str, password: str, redirect_url: str = "", request=None) -> None:
    """Someone asks to create an account for `email` with `password` (already validated).

    Whatever the address, the work is the same: the password is hashed, one row written,
    one e-mail queued, in the caller's transaction. Past SHOP_SIGNUP_EMAILS_PER_HOUR for
    the address in the last hour nothing is written or sent, so the form cannot be used to
    flood someone's inbox; the caller answers the same page all the same.
    """
    email = normalise_email(email)
    # Django's password hashing is the slow part: both branches pay it.
    password_hash = make_password(password)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    recent = SignupRequest.objects.filter(
        email__iexact=email, created_at__gte=now - THROTTLE_WINDOW
    ).count()
    if recent >= settings.SHOP_SIGNUP_EMAILS_PER_HOUR:
        logger.info("Sign-up e-mail not sent: %d in the last hour for this address", recent)
        return
    has_account = get_user_model()._default_manager.filter(email__iexact=email).exists()
    signup = SignupRequest.objects.create(
        email=email,
        password="" if has_account else password_hash,
        token_hash=None if has_account else token_hash(token),
        redirect_url=redirect_url,
        created_at=now,
    )
    if has_account:
        code = SIGNUP_ACCOUNT_EXISTS
        context = {
            "login_url": reverse("customer:login"),
            "reset_url": reverse("password-reset"),
        }
    else:
        code = SIGNUP_LINK
        context = {
            "confirm_url": reverse("customer:register-confirm", kwargs={"token": token}),
            "hours": settings.SHOP_SIGNUP_LINK_HOURS,
        }
    dispatcher = Dispatcher()
    messages = dispatcher.get_messages(code, {"email": email, "request": request, **context})
    with email_event(code, signup.pk):
        dispatcher.dispatch_direct_messages(email, messages)


class Refusal(Enum):
    """Why a sign-up link makes no account."""

    INVALID = "invalid"  # unknown, already used, or expired
    ACCOUNT_EXISTS = "account-exists"


def signup_find(*, token: str) -> SignupRequest | None:
    """The pending sign-up a link's token belongs to, if it is still valid (a read)."""
    return SignupRequest.objects.filter(
        token_hash=token_hash(token), created_at__gte=timezone.now() - link_lifetime()
    ).first()


class Confirmed(NamedTuple):
    user: object
    redirect_url: str


def signup_confirm(*, token: str, request) -> Confirmed | Refusal:
    """The link's owner pressed "Create my account": the account is made with the password
    chosen at sign-up, signed in, welcomed as Oscar welcomes a new customer, and the
    pending sign-up deleted. Returns the new user and where they were going, or a Refusal.

    Two presses at once (or two links for the same address) make one account: the
    address's pending rows are locked in one order and deleted by the first, so the second
    finds its own gone.
    """
    User = get_user_model()
    with transaction.atomic():
        signup = signup_find(token=token)
        if signup is None:
            return Refusal.INVALID
        pending = list(
            SignupRequest.objects.select_for_update()
            .filter(email__iexact=signup.email, token_hash__isnull=False)
            .order_by("pk")
        )
        if signup.pk not in {row.pk for row in pending}:
            return Refusal.INVALID
        SignupRequest.objects.filter(pk__in=[row.pk for row in pending]).delete()
        if User._default_manager.filter(email__iexact=signup.email).exists():
            # An account was made for the address meanwhile (another way): not a second.
            return Refusal.ACCOUNT_EXISTS
        user = User(email=signup.email, password=signup.password, is_active=True)
        if "username" in [field.name for field in User._meta.fields]:
            user.username = generate_username()
        user.save()
        # Oscar's registration: its signal and its welcome e-mail (OSCAR_SEND_REGISTRATION_EMAIL).
        user_registered.send_robust(sender=signup_confirm, request=request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            with email_event(CustomerDispatcher.REGISTRATION_EVENT_CODE, user.pk):
                CustomerDispatcher().send_registration_email_for_user(
                    user, {"user": user, "request": request}
                )
    login(request, user, backend=BACKEND)
    return Confirmed(user, signup.redirect_url)


def email_change_request(*, user, email: str, request=None) -> None:
    """A signed-in customer asks to change their address to `email`.

    As with sign-up, the answer and the work are the same whether or not `email` has an
    account: one row, one e-mail to `email` — a link that makes the change, or a note that
    the address already has an account. SHOP_SIGNUP_EMAILS_PER_HOUR caps them per customer.
    """
    email = normalise_email(email)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    recent = EmailChangeRequest.objects.filter(
        user=user, created_at__gte=now - THROTTLE_WINDOW
    ).count()
    if recent >= settings.SHOP_SIGNUP_EMAILS_PER_HOUR:
        logger.info("E-mail change link not sent: %d in the last hour for this customer", recent)
        return
    taken = get_user_model()._default_manager.filter(email__iexact=email).exists()
    change = EmailChangeRequest.objects.create(
        user=user, email=email, token_hash=None if taken else token_hash(token), created_at=now
    )
    if taken:
        code = EMAIL_CHANGE_ACCOUNT_EXISTS
        context = {"login_url": reverse("customer:login"), "reset_url": reverse("password-reset")}
    else:
        code = EMAIL_CHANGE_LINK
        context = {
            "confirm_url": reverse("customer:email-change-confirm", kwargs={"token": token}),
            "hours": settings.SHOP_SIGNUP_LINK_HOURS,
        }
    dispatcher = Dispatcher()
    messages = dispatcher.get_messages(code, {"email": email, "request": request, **context})
    with email_event(code, change.pk):
        dispatcher.dispatch_direct_messages(email, messages)


def email_change_find(*, token: str) -> EmailChangeRequest | None:
    """The change a link's token asks for, if it is still valid (a read)."""
    return (
        EmailChangeRequest.objects.select_related("user")
        .filter(token_hash=token_hash(token), created_at__gte=timezone.now() - link_lifetime())
        .first()
    )


def email_change_confirm(*, token: str, request=None):
    """The new address's owner pressed "Change my e-mail address": the account's address
    becomes it, and the old address is told (Oscar's "e-mail changed" e-mail, with a
    password-reset link). Returns the user, or a Refusal. Every link the customer was sent
    is spent by the first used."""
    User = get_user_model()
    with transaction.atomic():
        change = email_change_find(token=token)
        if change is None:
            return Refusal.INVALID
        user = User._default_manager.select_for_update().get(pk=change.user_id)
        spent, _ = EmailChangeRequest.objects.filter(pk=change.pk).delete()
        if not spent:
            return Refusal.INVALID
        EmailChangeRequest.objects.filter(user=user, token_hash__isnull=False).delete()
        if User._default_manager.filter(email__iexact=change.email).exclude(pk=user.pk).exists():
            return Refusal.ACCOUNT_EXISTS
        old_email = user.email
        user.email = change.email
        user.save(update_fields=["email"])
        old_user = User(pk=user.pk, email=old_email)
        with email_event(CustomerDispatcher.EMAIL_CHANGED_EVENT_CODE, f"{user.pk}:{change.pk}"):
            CustomerDispatcher().send_email_changed_email_for_user(
                old_user,
                {
                    "user": user,
                    "new_email": user.email,
                    "reset_url": get_password_reset_url(user),
                    "request": request,
                },
            )
    return user


def signup_requests_prune() -> str:
    """Timed job: sign-up requests past use are deleted — links older than
    SHOP_SIGNUP_LINK_HOURS, and the rows that only count towards the hourly limit once
    their hour is over."""
    now = timezone.now()
    links, _ = SignupRequest.objects.filter(
        token_hash__isnull=False, created_at__lt=now - link_lifetime()
    ).delete()
    counted, _ = SignupRequest.objects.filter(
        token_hash__isnull=True, created_at__lt=now - THROTTLE_WINDOW
    ).delete()
    changes, _ = EmailChangeRequest.objects.filter(
        created_at__lt=now - max(link_lifetime(), THROTTLE_WINDOW)
    ).delete()
    return f"{links + counted} sign-up requests and {changes} e-mail change requests deleted"
