"""The registration pages (shop/customer/views.py): the same answer, byte for byte, for an
address with or without an account; the e-mailed link's page asks before it acts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.mail.models import OutgoingEmail
from tests.checkout.helpers import add_to_basket
from tests.checkout.test_gateway import email_of
from tests.customer.test_services import LINK, PASSWORD
from tests.factories import create_cream, variant

pytestmark = pytest.mark.django_db

SignupRequest = get_model("customer", "SignupRequest")

REGISTER = reverse("customer:register")
LOGIN = reverse("customer:login")
# The two forms that create an account: Oscar's registration page, and the registration
# half of its "Sign in or register" page.
FORMS = {
    "register": (
        REGISTER,
        lambda email, password=PASSWORD: {
            "email": email,
            "password1": password,
            "password2": password,
        },
    ),
    "sign in or register": (
        LOGIN,
        lambda email, password=PASSWORD: {
            "registration-email": email,
            "registration-password1": password,
            "registration-password2": password,
            "registration_submit": "Register",
        },
    ),
}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def sign_up(form, email, password=PASSWORD, client=None):
    url, data = FORMS[form]
    return (client or Client()).post(url, data(email, password))


def as_bytes(response, email):
    """The whole response — status, headers, cookies, body — with the CSRF token (the one
    part that differs for every request) and the address given taken out."""
    cookies = []
    for name, morsel in sorted(response.cookies.items()):
        value = "<csrf>" if name == "csrftoken" else morsel.value
        cookies.append(f"{name}={value}; {morsel.output(attrs=[], header='')}")
    cookies = [re.sub(r"csrftoken=[^;]+", "csrftoken=<csrf>", c) for c in cookies]
    whole = b"\n".join(
        [
            str(response.status_code).encode(),
            response.serialize_headers(),
            "\n".join(cookies).encode(),
            CSRF_INPUT.sub(b'name="csrfmiddlewaretoken" value="<csrf>"', response.content),
        ]
    )
    return whole.replace(email.encode(), b"<address>")


@pytest.mark.parametrize("form", FORMS)
def test_the_answer_is_the_same_byte_for_byte_with_or_without_an_account(ann, form):
    # Addresses of one length, so the headers' Content-Length cannot differ by it.
    known = sign_up(form, "ann@example.com")
    unknown = sign_up(form, "bob@example.com")

    assert known.status_code == unknown.status_code == 200
    assert "We've sent a link to ann@example.com" in known.content.decode()
    assert "open it to finish creating your account" in known.content.decode()
    assert as_bytes(known, "ann@example.com") == as_bytes(unknown, "bob@example.com")


def shapes(queries):
    """The statements run, their values (and savepoint names) left out."""
    return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b|\bNULL\b", "?", q["sql"]) for q in queries]


@pytest.mark.parametrize("form", FORMS)
def test_both_cost_one_password_hash_and_the_same_queries(ann, hashes, form):
    sign_up(form, "cat@example.com")  # the site's row is cached by the first e-mail
    hashes.count = 0
    with CaptureQueriesContext(connection) as known_queries:
        sign_up(form, "ann@example.com")
    known_hashes = hashes.count
    with CaptureQueriesContext(connection) as unknown_queries:
        sign_up(form, "bob@example.com")

    assert known_hashes == 1
    assert hashes.count - known_hashes == 1
    assert shapes(known_queries) == shapes(unknown_queries)


@pytest.mark.parametrize("form", FORMS)
def test_each_queues_exactly_one_email_the_right_one(ann, form, sent_emails):
    sign_up(form, "ann@example.com")
    sign_up(form, "bob@example.com")

    assert OutgoingEmail.objects.count() == 2
    by_recipient = {tuple(m.to): m for m in sent_emails()}
    assert by_recipient.keys() == {("ann@example.com",), ("bob@example.com",)}
    assert "You already have one" in by_recipient["ann@example.com",].body
    assert LINK.search(by_recipient["bob@example.com",].body)
    assert not LINK.search(by_recipient["ann@example.com",].body)


@pytest.mark.parametrize("form", FORMS)
def test_no_account_is_made_and_no_one_is_signed_in(ann, django_user_model, form):
    password_before = ann.password
    client = Client()

    sign_up(form, "ann@example.com", password="an-attackers-password-5", client=client)
    sign_up(form, "bob@example.com", client=client)

    assert list(django_user_model.objects.values_list("email", flat=True)) == ["ann@example.com"]
    ann.refresh_from_db()
    assert ann.password == password_before
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("form", FORMS)
def test_past_the_hourly_limit_the_same_page_and_no_email(ann, form):
    pages = [sign_up(form, "ann@example.com") for _ in range(5)]

    assert OutgoingEmail.objects.count() == 3
    assert len({as_bytes(page, "ann@example.com") for page in pages}) == 1


@pytest.mark.parametrize("form", FORMS)
def test_one_client_is_limited_whatever_the_addresses(ann, form, settings):
    """The per-address limit alone would let one client mail many addresses once each."""
    settings.SHOP_SIGNUP_REQUESTS_PER_CLIENT_HOUR = 3
    settings.SHOP_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    spammer = Client(HTTP_X_REAL_IP="203.0.113.9")
    for i in range(3):
        assert sign_up(form, f"victim-{i}@example.com", client=spammer).status_code == 200

    refused = [
        sign_up(form, email, client=spammer) for email in ("ann@example.com", "zed@example.com")
    ]

    for page in refused:
        assert page.status_code == 429
        assert "too many sign-ups from here in the last hour" in page.content.decode()
        assert "Please wait 60 minutes" in page.content.decode()
    # The refusal tells nothing about the address: the same for one with an account.
    assert as_bytes(refused[0], "ann@example.com") == as_bytes(refused[1], "zed@example.com")
    assert OutgoingEmail.objects.count() == SignupRequest.objects.count() == 3
    # Another shopper through the same proxy registers.
    other = Client(HTTP_X_REAL_IP="198.51.100.7")
    assert sign_up(form, "bob@example.com", client=other).status_code == 200
    assert OutgoingEmail.objects.count() == 4


@pytest.mark.parametrize("form", FORMS)
def test_the_password_rules_still_apply(form):
    response = sign_up(form, "bob@example.com", password="123")

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert not SignupRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_old_message_is_gone(ann):
    for form in FORMS:
        page = sign_up(form, "ann@example.com").content.decode()
        assert "already exists" not in page


def confirm_url(sent_emails) -> str:
    return LINK.search(sent_emails()[-1].body)[1]


def test_the_link_page_changes_nothing_then_its_button_signs_in(django_user_model, sent_emails):
    sign_up("register", "bob@example.com")
    url = confirm_url(sent_emails)
    client = Client()

    page = client.get(url)
    assert page.status_code == 200
    assert "Create your account for bob@example.com" in page.content.decode()
    assert not django_user_model.objects.exists()
    assert SignupRequest.objects.count() == 1

    response = client.post(url, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("customer:profile-view")
    user = django_user_model.objects.get()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Thanks for registering" in client.get(response["Location"]).content.decode()
    # With the password chosen at sign-up, in a new browser.
    other = Client()
    signed = other.post(
        LOGIN, {"login-username": "bob@example.com", "login-password": PASSWORD, "login_submit": 1}
    )
    assert signed.status_code == 302
    assert other.session["_auth_user_id"] == str(user.pk)


def test_the_link_asks_for_the_password_chosen_at_sign_up(django_user_model, sent_emails):
    sign_up("register", "bob@example.com", password="a-strangers-password-3")
    url = confirm_url(sent_emails)
    client = Client()
    assert 'name="password"' in client.get(url).content.decode()

    for wrong in ("", PASSWORD):
        response = client.post(url, {"password": wrong})

        assert response.status_code == 400
        assert "not the password this sign-up was made with" in response.content.decode()
        assert "Create your account for bob@example.com" in response.content.decode()
    assert not django_user_model.objects.exists()
    assert "_auth_user_id" not in client.session
    assert client.post(url, {"password": "a-strangers-password-3"}).status_code == 302


def test_the_link_twice_makes_one_account_and_says_so(django_user_model, sent_emails):
    sign_up("register", "bob@example.com")
    url = confirm_url(sent_emails)

    Client().post(url, {"password": PASSWORD})
    again = Client().post(url, {"password": PASSWORD})

    assert again.status_code == 404
    assert "expired or has already been used" in again.content.decode()
    assert reverse("customer:register") in again.content.decode()  # a way to start again
    assert django_user_model.objects.count() == 1


def test_an_unknown_link_is_a_clear_page_not_an_error():
    url = reverse("customer:register-confirm", kwargs={"token": "not-a-token"})
    for response in (Client().get(url), Client().post(url)):
        assert response.status_code == 404
        assert "This link cannot be used" in response.content.decode()


def test_the_link_after_the_address_got_an_account(django_user_model, sent_emails):
    sign_up("register", "bob@example.com")
    url = confirm_url(sent_emails)
    django_user_model.objects.create_user("bob", "bob@example.com", "made-another-way-1")

    response = Client().post(url, {"password": PASSWORD})

    assert response.status_code == 409
    assert "already an account with this e-mail address" in response.content.decode()
    assert django_user_model.objects.count() == 1


def test_next_is_kept_through_the_link(django_user_model, sent_emails):
    client = Client()
    url = f"{REGISTER}?next={reverse('basket:summary')}"
    client.post(url, {**FORMS["register"][1]("bob@example.com"), "redirect_url": "/basket/"})

    response = Client().post(confirm_url(sent_emails), {"password": PASSWORD})

    assert response["Location"] == "/basket/"


def test_the_checkout_gateway_new_customer_goes_through_the_link(ann, media, sent_emails):
    rose = variant(create_cream((("Rose", 5),), images=False), "Rose")
    shopper = Client()
    add_to_basket(shopper, rose)

    gateway = shopper.post(
        reverse("checkout:index"), {"username": "ann@example.com", "options": "new"}
    )
    form_page = shopper.get(gateway["Location"])
    assert form_page.context["form"].initial["email"] == "ann@example.com"
    redirect_url = form_page.context["form"].initial["redirect_url"]
    data = {**FORMS["register"][1]("ann@example.com"), "redirect_url": redirect_url}
    answer = shopper.post(gateway["Location"], data)

    assert answer.status_code == 200
    assert "We've sent a link to ann@example.com" in answer.content.decode()
    [email] = [m for m in sent_emails() if m.to == ["ann@example.com"]]
    assert "You already have one" in email.body


# --- A new e-mail address on the profile: by link too -------------------------------------

PROFILE_UPDATE = reverse("customer:profile-update")
CHANGE_LINK = re.compile(r"https?://[^/\s]+(/accounts/profile/email/confirm/[^/\s]+/)")


@pytest.fixture
def cat(django_user_model):
    """A signed-in customer's account."""
    return django_user_model.objects.create_user(
        "cat", "cat@example.com", "cats-own-password-1", first_name="Cat", last_name="Smith"
    )


def change_email(client, email):
    data = {"first_name": "Cat", "last_name": "Smith", "email": email}
    return client.post(PROFILE_UPDATE, data, follow=True)


def test_changing_to_a_taken_address_answers_as_a_free_one(ann, cat, django_user_model):
    client = Client()
    client.force_login(cat)

    taken = change_email(client, "ann@example.com")
    free = change_email(client, "bob@example.com")

    assert taken.redirect_chain == free.redirect_chain == [(reverse("customer:profile-view"), 302)]
    assert "We&#x27;ve sent a link to ann@example.com" in taken.content.decode()
    assert "already exists" not in taken.content.decode()
    assert as_bytes(taken, "ann@example.com") == as_bytes(free, "bob@example.com")
    cat.refresh_from_db()
    assert cat.email == "cat@example.com"  # not before the link


def test_each_change_queues_one_email_the_right_one(ann, cat, sent_emails):
    client = Client()
    client.force_login(cat)

    change_email(client, "ann@example.com")
    change_email(client, "bob@example.com")

    by_recipient = {tuple(m.to): m for m in sent_emails()}
    assert by_recipient.keys() == {("ann@example.com",), ("bob@example.com",)}
    assert "This address already has an account" in by_recipient["ann@example.com",].body
    assert not CHANGE_LINK.search(by_recipient["ann@example.com",].body)
    assert CHANGE_LINK.search(by_recipient["bob@example.com",].body)


def test_the_link_changes_the_address_and_tells_the_old_one(cat, sent_emails):
    client = Client()
    client.force_login(cat)
    change_email(client, "bob@example.com")
    url = CHANGE_LINK.search(sent_emails()[0].body)[1]

    page = client.get(url)
    assert "Make bob@example.com your account&#x27;s e-mail address?" in page.content.decode()
    cat.refresh_from_db()
    assert cat.email == "cat@example.com"  # opening the link changed nothing

    response = client.post(url)

    assert response["Location"] == reverse("customer:profile-view")
    cat.refresh_from_db()
    assert cat.email == "bob@example.com"
    told = [m for m in sent_emails() if m.to == ["cat@example.com"]]
    assert len(told) == 1
    assert "changed to bob@example.com" in told[0].body
    assert client.post(url).status_code == 404  # spent
    signed = Client().post(
        LOGIN,
        {"login-username": "bob@example.com", "login-password": "cats-own-password-1"}
        | {"login_submit": "1"},
    )
    assert signed.status_code == 302


def test_only_the_account_that_asked_can_use_the_change_link(cat, django_user_model, sent_emails):
    """Cat asks for bob's address; bob, signed out or signed in to his own account,
    pressing the link must not tie his address to cat's account."""
    client = Client()
    client.force_login(cat)
    change_email(client, "bob@example.com")
    url = CHANGE_LINK.search(sent_emails()[0].body)[1]
    bob = django_user_model.objects.create_user("bob2", "bob2@example.com", "bobs-password-12")
    signed_in_bob = Client()
    signed_in_bob.force_login(bob)

    signed_out = Client().post(url)
    other = signed_in_bob.post(url)

    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(reverse("customer:login") + "?next=")
    assert other.status_code == 403
    assert "This link is for another account" in other.content.decode()
    cat.refresh_from_db()
    assert cat.email == "cat@example.com"
    assert client.post(url).status_code == 302  # still there for cat
    cat.refresh_from_db()
    assert cat.email == "bob@example.com"


def test_the_link_after_another_account_took_the_address(cat, django_user_model, sent_emails):
    client = Client()
    client.force_login(cat)
    change_email(client, "bob@example.com")
    url = CHANGE_LINK.search(sent_emails()[0].body)[1]
    django_user_model.objects.create_user("bob", "bob@example.com", "bobs-own-password-1")

    response = client.post(url)

    assert response.status_code == 409
    cat.refresh_from_db()
    assert cat.email == "cat@example.com"


def test_a_name_change_alone_is_saved_at_once(cat):
    client = Client()
    client.force_login(cat)

    response = client.post(
        PROFILE_UPDATE, {"first_name": "Kat", "last_name": "Smith", "email": "CAT@example.com"}
    )

    assert response.status_code == 302
    cat.refresh_from_db()
    # The same address in other capitals is the same account's: saved as typed.
    assert (cat.first_name, cat.email) == ("Kat", "CAT@example.com")
    assert not OutgoingEmail.objects.exists()


def test_past_the_hourly_limit_no_more_change_emails(cat):
    client = Client()
    client.force_login(cat)

    for n in range(5):
        change_email(client, f"new{n}@example.com")

    assert OutgoingEmail.objects.count() == 3


@pytest.mark.parametrize("form", FORMS)
def test_an_address_longer_than_the_column_is_refused_not_a_500(form):
    too_long = sign_up(form, email_of(255))
    longest = sign_up(form, email_of(254))

    assert too_long.status_code == 200
    assert "An e-mail address has at most 254 characters (this one has 255)" in (
        too_long.content.decode()
    )
    assert "We've sent a link to" in longest.content.decode()
    assert SignupRequest.objects.count() == 1
