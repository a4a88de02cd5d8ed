"""A shopper registers on "Sign in or register", opens the e-mailed link in the browser,
creates the account with its button and lands signed in; the link then works no more.
No page of the journey breaks the storefront's Content-Security-Policy, and axe-core finds
no accessibility violation on the new pages."""

import pytest
from playwright.sync_api import expect

from shop.mail.models import OutgoingEmail
from tests.customer.test_services import LINK, PASSWORD
from tests.e2e.audits import Audit
from tests.e2e.test_content_security_policy import Policy

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def register(page, base_url):
    """Sign up on the "Sign in or register" page, from the header's link."""
    page.goto(base_url + "/")
    page.get_by_role("link", name="Sign in or register").click()
    form = page.locator("#register_form")
    form.get_by_label("Email address").fill("new@example.com")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Confirm password").fill(PASSWORD)
    form.get_by_role("button", name="Register").click()


def link_path() -> str:
    """The link's path, read from the e-mail in the outbox."""
    email = OutgoingEmail.objects.get(event="SIGNUP_LINK")
    assert email.to == ["new@example.com"]
    return LINK.search(email.body)[1]


def test_register_open_the_link_confirm_and_land_signed_in(browser, live_server, django_user_model):
    context = browser.new_context()
    policy = Policy(context)
    page = policy.page

    register(page, live_server.url)

    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("We've sent a link to new@example.com")
    expect(page.get_by_role("link", name="Sign in or register")).to_be_visible()  # not yet
    assert not django_user_model.objects.exists()
    policy.check("link sent")

    path = link_path()
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    assert not django_user_model.objects.exists()  # opening the link made nothing
    policy.check("the link's page")
    page.get_by_label("Password").fill(PASSWORD)
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


def test_the_registration_pages_have_no_axe_violations(browser, live_server, axe_script):
    # axe-core goes in as an inline script, which the policy refuses (checked above).
    context = browser.new_context(viewport={"width": 412, "height": 823}, bypass_csp=True)
    audit = Audit(context.new_page(), axe_script)
    page = audit.page

    register(page, live_server.url)
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    audit.check("link sent")
    page.goto(live_server.url + link_path())
    audit.check("the link's page")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    audit.assert_clean()

    # The spent link's page: the one console error is the browser reporting its status.
    audit = Audit(context.new_page(), axe_script)
    assert audit.page.goto(live_server.url + link_path()).status == 404
    audit.check("spent link")
    assert audit.errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    audit.errors.clear()
    audit.assert_clean()
    context.close()
