"""Registration, and a new e-mail address on the profile, by e-mailed link: neither form
tells whether an address has an account.

`signup_request` answers every address the same way, at the same cost: it hashes the
password, writes one SignupRequest row and queues one e-mail. An address with no account
gets a link; one with an account gets a note that it has one (sign in, or reset the
password). No account exists until the link is opened and its page's button pressed
(`signup_confirm`). `email_change_request` and `email_change_confirm` do the same for a
signed-in customer's new address (EmailChangeRequest).
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from enum import Enum
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Count, Min
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


def _over_the_limit(requests, now) -> bool:
    """SHOP_SIGNUP_EMAILS_PER_HOUR of these requests (one address's, one customer's) in
    the last hour: no more e-mails for now."""
    recent = requests.filter(created_at__gte=now - THROTTLE_WINDOW).count()
    if recent >= settings.SHOP_SIGNUP_EMAILS_PER_HOUR:
        logger.info("%s: %d in the last hour, no e-mail sent", requests.model.__name__, recent)
        return True
    return False


def _has_account(email: str) -> bool:
    return get_user_model()._default_manager.filter(email__iexact=email).exists()


def _email_link_or_note(*, row, has_account: bool, codes, confirm_url: str, request) -> None:
    """One e-mail to the row's address: the link (codes[0]), or, for an address that has
    an account, the note that it has one, with the sign-in and password-reset pages
    (codes[1]). The same queries either way."""
    if has_account:
        code = codes[1]
        context = {"login_url": reverse("customer:login"), "reset_url": reverse("password-reset")}
    else:
        code = codes[0]
        context = {"confirm_url": confirm_url, "hours": settings.SHOP_SIGNUP_LINK_HOURS}
    dispatcher = Dispatcher()
    messages = dispatcher.get_messages(code, {"email": row.email, "request": request, **context})
    with email_event(code, row.pk):
        dispatcher.dispatch_direct_messages(row.email, messages)


def _ask_by_link(*, requests, email: str, fields, codes, url_name: str, request) -> None:
    """The work both kinds of link share, the same whether or not `email` has an account:
    the hourly limit over `requests`, one row (with `fields(has_account)`), one e-mail."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    if _over_the_limit(requests, now):
        return
    has_account = _has_account(email)
    row = requests.model.objects.create(
        email=email,
        token_hash=None if has_account else token_hash(token),
        created_at=now,
        **fields(has_account),
    )
    _email_link_or_note(
        row=row,
        has_account=has_account,
        codes=codes,
        confirm_url=reverse(url_name, kwargs={"token": token}),
        request=request,
    )


class TooManySignups(Exception):
    """One client asked for SHOP_SIGNUP_REQUESTS_PER_CLIENT_HOUR sign-ups in the last hour."""

    def __init__(self, minutes: int):
        super().__init__(f"too many sign-ups from this address; again in {minutes} min")
        self.minutes = minutes


def signup_client_check(*, client_address: str | None, now=None) -> None:
    """Refuse (TooManySignups) a client past its hourly number of sign-ups, whatever the
    addresses: the per-address limit alone would let one client send one e-mail to each
    of many addresses. The refusal is the same for every address, so it tells nothing."""
    if client_address is None:
        return
    now = now or timezone.now()
    recent = SignupRequest.objects.filter(
        client_address=client_address, created_at__gte=now - THROTTLE_WINDOW
    ).aggregate(count=Count("pk"), oldest=Min("created_at"))  # one query for both
    if recent["count"] >= settings.SHOP_SIGNUP_REQUESTS_PER_CLIENT_HOUR:
        wait = recent["oldest"] + THROTTLE_WINDOW - now
        raise TooManySignups(max(1, -(-int(wait.total_seconds()) // 60)))


def signup_request(
    *,
    email: str,
    password: str,
    redirect_url: str = "",
    request=None,
    client_address: str | None = None,
) -> None:
    """Someone asks to create an account for `email` with `password` (already validated).

    Whatever the address, the work is the same: the password is hashed, one row written,
    one e-mail queued, in the caller's transaction. Past SHOP_SIGNUP_EMAILS_PER_HOUR for
    the address in the last hour nothing is written or sent, so the form cannot be used to
    flood someone's inbox; the caller answers the same page all the same. A client past
    SHOP_SIGNUP_REQUESTS_PER_CLIENT_HOUR is refused (TooManySignups), for any address.
    """
    signup_client_check(client_address=client_address)
    email = normalise_email(email)

    def fields(has_account):
        # Django's password hashing is the slow part: both branches pay it, and a request
        # past the address's limit, which writes nothing, pays none.
        password_hash = make_password(password)
        return {
            # An address with an account keeps no password: its row only counts e-mails.
            "password": "" if has_account else password_hash,
            "redirect_url": redirect_url,
            "client_address": client_address,
        }

    _ask_by_link(
        requests=SignupRequest.objects.filter(email__iexact=email),
        email=email,
        fields=fields,
        codes=(SIGNUP_LINK, SIGNUP_ACCOUNT_EXISTS),
        url_name="customer:register-confirm",
        request=request,
    )


class Refusal(Enum):
    """Why a link (sign-up, e-mail change) changes nothing."""

    INVALID = "invalid"  # unknown, already used, or expired
    ACCOUNT_EXISTS = "account-exists"
    WRONG_PASSWORD = "wrong-password"  # not the password chosen at sign-up
    OTHER_ACCOUNT = "other-account"  # an e-mail change link opened by another account


def signup_find(*, token: str) -> SignupRequest | None:
    """The pending sign-up a link's token belongs to, if it is still valid (a read)."""
    return SignupRequest.objects.filter(
        token_hash=token_hash(token), created_at__gte=timezone.now() - link_lifetime()
    ).first()


class Confirmed(NamedTuple):
    user: object
    redirect_url: str


def signup_confirm(*, token: str, password: str, request) -> Confirmed | Refusal:
    """The link's owner pressed "Create my account" with the password chosen at sign-up:
    the account is made with it, signed in, welcomed as Oscar welcomes a new customer, and
    the pending sign-up deleted. Returns the new user and where they were going, or a
    Refusal.

    The password is asked again because whoever filled in the form chose it: without it,
    someone could sign up an address that is not theirs, wait for its owner to open the
    link, and sign in to the account later with the password they chose.

    Two presses at once (or two links for the same address) make one account: the
    address's pending rows are locked in one order and deleted by the first, so the second
    finds its own gone.
    """
    User = get_user_model()
    with transaction.atomic():
        signup = signup_find(token=token)
        if signup is None:
            return Refusal.INVALID
        if not check_password(password, signup.password):
            return Refusal.WRONG_PASSWORD
        pending = list(
            SignupRequest.objects.select_for_update()
            .filter(email__iexact=signup.email, token_hash__isnull=False)
            .order_by("pk")
        )
        if signup.pk not in {row.pk for row in pending}:
            return Refusal.INVALID
        SignupRequest.objects.filter(pk__in=[row.pk for row in pending]).delete()
        if _has_account(signup.email):
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
    _ask_by_link(
        requests=EmailChangeRequest.objects.filter(user=user),
        email=normalise_email(email),
        fields=lambda has_account: {"user": user},
        codes=(EMAIL_CHANGE_LINK, EMAIL_CHANGE_ACCOUNT_EXISTS),
        url_name="customer:email-change-confirm",
        request=request,
    )


def email_change_find(*, token: str) -> EmailChangeRequest | None:
    """The change a link's token asks for, if it is still valid (a read)."""
    return EmailChangeRequest.objects.filter(
        token_hash=token_hash(token), created_at__gte=timezone.now() - link_lifetime()
    ).first()


def email_change_confirm(*, token: str, user, request=None):
    """The new address's owner, signed in as the customer who asked, pressed "Change my
    e-mail address": the account's address becomes it, and the old address is told
    (Oscar's "e-mail changed" e-mail, with a password-reset link). Returns the user, or a
    Refusal. Every link the customer was sent is spent by the first used.

    Only the account that asked can use the link: otherwise someone could ask for a
    stranger's address and wait for the stranger to press the button, tying the address
    to an account the stranger does not know."""
    User = get_user_model()
    with transaction.atomic():
        change = email_change_find(token=token)
        if change is None:
            return Refusal.INVALID
        if change.user_id != user.pk:
            return Refusal.OTHER_ACCOUNT
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
    their hour is over — and the client address of the rest is forgotten after that hour."""
    now = timezone.now()
    links, _ = SignupRequest.objects.filter(
        token_hash__isnull=False, created_at__lt=now - link_lifetime()
    ).delete()
    counted, _ = SignupRequest.objects.filter(
        token_hash__isnull=True, created_at__lt=now - THROTTLE_WINDOW
    ).delete()
    # Who asked is kept only for the hour its limit counts (a link lives longer).
    SignupRequest.objects.filter(
        created_at__lt=now - THROTTLE_WINDOW, client_address__isnull=False
    ).update(client_address=None)
    changes, _ = EmailChangeRequest.objects.filter(
        created_at__lt=now - max(link_lifetime(), THROTTLE_WINDOW)
    ).delete()
    return f"{links + counted} sign-up requests and {changes} e-mail change requests deleted"
