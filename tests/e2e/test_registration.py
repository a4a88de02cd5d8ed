"""A shopper registers on "Sign in or register", opens the e-mailed link in the browser,
creates the account with its button and lands signed in; the link then works no more.
No page of the journey breaks the storefront's Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from shop.mail.models import OutgoingEmail
from tests.e2e.test_content_security_policy import Policy

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-enough-password-9"


def test_register_open_the_link_confirm_and_land_signed_in(browser, live_server, django_user_model):
    context = browser.new_context()
    policy = Policy(context)
    page = policy.page

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in or register").click()
    form = page.locator("#register_form")
    form.get_by_label("Email address").fill("new@example.com")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Confirm password").fill(PASSWORD)
    form.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("We've sent a link to new@example.com")
    expect(page.get_by_role("link", name="Sign in or register")).to_be_visible()  # not yet
    assert not django_user_model.objects.exists()
    policy.check("link sent")

    email = OutgoingEmail.objects.get(event="SIGNUP_LINK")
    assert email.to == ["new@example.com"]
    path = re.search(r"https?://[^/\s]+(/accounts/register/confirm/[^/\s]+/)", email.body)[1]
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    assert not django_user_model.objects.exists()  # opening the link made nothing
    policy.check("the link's page")
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    expect(page.get_by_text("Thanks for registering! Your account is ready.")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text("new@example.com").first).to_be_visible()
    user = django_user_model.objects.get()
    assert user.email == "new@example.com"
    assert user.check_password(PASSWORD)
    policy.check("signed in")

    # The link is spent: a second visit explains and offers a new start.
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(page.get_by_role("link", name="register again")).to_be_visible()
    assert django_user_model.objects.count() == 1
    policy.check("spent link")
    policy.assert_clean()
    context.close()
