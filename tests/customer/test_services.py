"""Registration by e-mailed link (shop/customer/services.py): the same work and one e-mail
for every address, an account only from the link, once, in time."""

import re
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from oscar.core.loading import get_model

from shop.customer.services import (
    Confirmed,
    Refusal,
    signup_confirm,
    signup_request,
    token_hash,
)
from shop.mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db

SignupRequest = get_model("customer", "SignupRequest")

PASSWORD = "a-long-enough-password-9"
LINK = re.compile(r"https?://[^/\s]+(/accounts/register/confirm/[^/\s]+/)")


def request_with_session():
    """A request as a view gets it: `signup_confirm` signs the new customer in on it."""
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def link_path(email) -> str:
    """The confirmation link's path, read from the queued e-mail's body."""
    return LINK.search(email.body)[1]


def token_of(email) -> str:
    return link_path(email).rstrip("/").rsplit("/", 1)[1]


def test_a_new_address_gets_a_link_and_no_account_yet(django_user_model, sent_emails):
    signup_request(email="new@Example.COM", password=PASSWORD)

    assert not django_user_model.objects.exists()
    signup = SignupRequest.objects.get()
    assert signup.email == "new@example.com"  # Oscar's normalisation: the domain lowercased
    assert signup.password.startswith("md5$")  # hashed (the tests' hasher), never plain
    assert PASSWORD not in signup.password
    [email] = sent_emails()
    assert email.to == ["new@example.com"]
    assert email.subject.startswith("Finish creating your account")
    # Only the token's hash is stored.
    assert signup.token_hash == token_hash(token_of(email))
    assert token_of(email) not in signup.token_hash
    assert "The link works for 24 hours" in email.body


def test_a_known_address_gets_a_note_and_its_account_is_unchanged(ann, sent_emails):
    password_before = ann.password

    signup_request(email="ann@example.com", password=PASSWORD)

    [email] = sent_emails()
    assert email.to == ["ann@example.com"]
    assert email.subject.startswith("You already have an account")
    assert "tried to create an account" in email.body
    assert "/accounts/login/" in email.body
    assert "/password-reset/" in email.body
    assert not LINK.search(email.body)
    ann.refresh_from_db()
    assert ann.password == password_before
    assert ann.check_password("anns-own-password-1")
    signup = SignupRequest.objects.get()
    assert (signup.password, signup.token_hash) == ("", None)  # nothing to make an account of


def test_the_link_makes_the_account_with_the_chosen_password(django_user_model, sent_emails):
    signup_request(email="new@example.com", password=PASSWORD, redirect_url="/basket/")
    token = token_of(sent_emails()[0])
    request = request_with_session()

    result = signup_confirm(token=token, password=PASSWORD, request=request)

    assert isinstance(result, Confirmed)
    assert result.redirect_url == "/basket/"
    user = django_user_model.objects.get()
    assert (user.email, user.is_active) == ("new@example.com", True)
    assert user.check_password(PASSWORD)
    assert request.session["_auth_user_id"] == str(user.pk)
    assert not SignupRequest.objects.exists()
    # Oscar's welcome e-mail, as its registration sent.
    assert [m.subject for m in sent_emails()][-1] == "Thank you for registering."


def test_the_link_needs_the_password_chosen_at_sign_up(django_user_model, sent_emails):
    """Someone signing up an address that is not theirs chose its password: its owner,
    pressing the link, must not get an account whose password a stranger knows."""
    signup_request(email="new@example.com", password="a-strangers-password-3")
    token = token_of(sent_emails()[0])

    refused = signup_confirm(token=token, password=PASSWORD, request=request_with_session())

    assert refused is Refusal.WRONG_PASSWORD
    assert not django_user_model.objects.exists()
    assert SignupRequest.objects.count() == 1  # the link's owner can still register anew


def test_the_link_twice_makes_one_account(django_user_model, sent_emails):
    signup_request(email="new@example.com", password=PASSWORD)
    token = token_of(sent_emails()[0])

    first = signup_confirm(token=token, password=PASSWORD, request=request_with_session())
    second = signup_confirm(token=token, password=PASSWORD, request=request_with_session())

    assert isinstance(first, Confirmed)
    assert second is Refusal.INVALID
    assert django_user_model.objects.count() == 1


def test_two_links_for_one_address_make_one_account(django_user_model, sent_emails):
    signup_request(email="new@example.com", password=PASSWORD)
    signup_request(email="new@example.com", password="another-long-password-8")
    first, second = (token_of(email) for email in sent_emails())

    assert isinstance(
        signup_confirm(
            token=second, password="another-long-password-8", request=request_with_session()
        ),
        Confirmed,
    )
    assert (
        signup_confirm(token=first, password=PASSWORD, request=request_with_session())
        is Refusal.INVALID
    )

    user = django_user_model.objects.get()
    assert user.check_password("another-long-password-8")  # the link that was used


def test_an_expired_link_makes_nothing(django_user_model, settings, sent_emails):
    settings.SHOP_SIGNUP_LINK_HOURS = 2
    signup_request(email="new@example.com", password=PASSWORD)
    token = token_of(sent_emails()[0])
    SignupRequest.objects.update(created_at=timezone.now() - timedelta(hours=2, seconds=1))

    assert (
        signup_confirm(token=token, password=PASSWORD, request=request_with_session())
        is Refusal.INVALID
    )
    assert not django_user_model.objects.exists()


def test_an_unknown_token_makes_nothing(django_user_model):
    assert (
        signup_confirm(token="made-up", password=PASSWORD, request=request_with_session())
        is Refusal.INVALID
    )
    assert not django_user_model.objects.exists()


def test_no_second_account_when_the_address_got_one_meanwhile(django_user_model, sent_emails):
    signup_request(email="new@example.com", password=PASSWORD)
    token = token_of(sent_emails()[0])
    django_user_model.objects.create_user("other", "NEW@example.com", "made-another-way-1")

    assert (
        signup_confirm(token=token, password=PASSWORD, request=request_with_session())
        is Refusal.ACCOUNT_EXISTS
    )
    assert django_user_model.objects.count() == 1
    assert not SignupRequest.objects.exists()  # the link is spent


def test_the_fourth_request_in_an_hour_sends_nothing(ann, settings, sent_emails):
    assert settings.SHOP_SIGNUP_EMAILS_PER_HOUR == 3
    for address in ["new@example.com", "ann@example.com"]:
        for _ in range(4):
            signup_request(email=address, password=PASSWORD)
    # Any case of the address is the same address.
    signup_request(email="NEW@example.com", password=PASSWORD)

    sent = [tuple(email.to) for email in sent_emails()]
    assert sent.count(("new@example.com",)) == 3
    assert sent.count(("ann@example.com",)) == 3
    assert SignupRequest.objects.count() == 6


def test_past_the_limit_no_password_is_hashed(settings, sent_emails, hashes):
    settings.SHOP_SIGNUP_EMAILS_PER_HOUR = 1
    signup_request(email="new@example.com", password=PASSWORD)
    hashes.count = 0

    for _ in range(5):
        signup_request(email="new@example.com", password=PASSWORD)

    assert hashes.count == 0  # repeating the form costs the server no hashing
    assert len(sent_emails()) == 1


def test_the_limit_is_per_hour(settings, sent_emails):
    settings.SHOP_SIGNUP_EMAILS_PER_HOUR = 1
    signup_request(email="new@example.com", password=PASSWORD)
    signup_request(email="new@example.com", password=PASSWORD)
    assert len(sent_emails()) == 1

    SignupRequest.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    signup_request(email="new@example.com", password=PASSWORD)

    assert len(sent_emails()) == 2


def test_the_prune_job_deletes_spent_requests_only(ann, settings):
    job = import_string(settings.SHOP_JOBS["signup-requests-prune"]["job"])
    signup_request(email="old@example.com", password=PASSWORD, client_address="203.0.113.9")
    signup_request(email="ann@example.com", password=PASSWORD, client_address="203.0.113.9")
    SignupRequest.objects.update(created_at=timezone.now() - timedelta(hours=2))
    signup_request(email="new@example.com", password=PASSWORD, client_address="203.0.113.9")

    # ann's row: its hour is over.
    assert job() == "1 sign-up requests and 0 e-mail change requests deleted"

    assert sorted(SignupRequest.objects.values_list("email", "client_address")) == [
        ("new@example.com", "203.0.113.9"),  # its hour's limit still counts it
        ("old@example.com", None),  # its link is still valid; who asked is forgotten
    ]
    SignupRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    job()
    assert not SignupRequest.objects.exists()


def test_the_new_customer_signs_in_with_the_password_chosen_at_sign_up(sent_emails):
    signup_request(email="new@example.com", password=PASSWORD)
    signup_confirm(
        token=token_of(sent_emails()[0]), password=PASSWORD, request=request_with_session()
    )
    client = Client()

    response = client.post(
        reverse("customer:login"),
        {"login-username": "new@example.com", "login-password": PASSWORD, "login_submit": "1"},
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_email_is_queued_in_the_outbox_with_its_event(sent_emails):
    signup_request(email="new@example.com", password=PASSWORD)

    assert OutgoingEmail.objects.get().event == "SIGNUP_LINK"
