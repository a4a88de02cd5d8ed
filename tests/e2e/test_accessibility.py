"""axe-core in Debian's chromium: no violations on the storefront's pages and on
each step of a guest checkout, and no console errors on any of them."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.audits import Audit
from tests.e2e.journeys import add_to_basket, checkout_as_guest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# axe-core is added to each page as an inline script, which the shop's
# Content-Security-Policy refuses; the policy itself is checked by
# tests/e2e/test_content_security_policy.py.
AXE_IS_INJECTED = True


def test_the_storefront_pages_have_no_axe_violations(
    browser, live_server, storefront_pages, axe_script
):
    for viewport in ({"width": 412, "height": 823}, {"width": 1280, "height": 900}):
        context = browser.new_context(viewport=viewport, bypass_csp=AXE_IS_INJECTED)
        audit = Audit(context.new_page(), axe_script)
        for name, path in storefront_pages.items():
            audit.page.goto(live_server.url + path)
            audit.check(f"{name} at {viewport['width']}px")
        audit.assert_clean()
        context.close()


def test_the_other_shopper_pages_have_no_axe_violations(
    browser, live_server, storefront, axe_script
):
    context = browser.new_context(
        viewport={"width": 412, "height": 823}, bypass_csp=AXE_IS_INJECTED
    )
    audit = Audit(context.new_page(), axe_script)
    for name, path in {
        "catalogue": "/catalogue/",
        "search": "/search/?q=lavender",
        "ingredient": "/ingredients/magnesium-chloride/",
        "sign in or register": "/accounts/login/",
    }.items():
        audit.page.goto(live_server.url + path)
        audit.check(name)
    audit.assert_clean()

    # The 404 page: the one console error is the browser reporting its status.
    audit = Audit(context.new_page(), axe_script)
    assert audit.page.goto(live_server.url + "/no-such-page/").status == 404
    audit.check("page not found")
    assert audit.errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    audit.errors.clear()
    audit.assert_clean()
    context.close()


def test_each_step_of_a_guest_checkout_has_no_axe_violations(
    browser, live_server, storefront, axe_script, reference_data
):
    context = browser.new_context(
        viewport={"width": 412, "height": 823}, bypass_csp=AXE_IS_INJECTED
    )
    page = context.new_page()
    audit = Audit(page, axe_script)

    add_to_basket(page, live_server.url, storefront, "Rose", visit=audit.check)
    checkout_as_guest(page, live_server.url, visit=audit.check)

    # Bank transfer needs no payment details: the payment step is the preview's.
    expect(page.get_by_role("heading", name="Bank transfer")).to_be_visible()
    page.get_by_role("button", name="Place order").click()

    expect(page).to_have_url(live_server.url + "/checkout/thank-you/")
    audit.check("thank you")
    audit.assert_clean()
    context.close()


def test_the_card_payment_pages_have_no_axe_violations(
    browser, live_server, storefront, axe_script, reference_data, stripe_server
):
    stripe_server.webhook_url = live_server.url + "/checkout/stripe/webhook/"
    context = browser.new_context(
        viewport={"width": 412, "height": 823}, bypass_csp=AXE_IS_INJECTED
    )
    page = context.new_page()
    audit = Audit(page, axe_script)
    add_to_basket(page, live_server.url, storefront, "Rose")
    checkout_as_guest(page, live_server.url)

    expect(page.get_by_label("Card, Apple Pay or Google Pay")).to_be_checked()
    audit.check("preview with the choice of payment")
    page.get_by_role("button", name=re.compile("^Place order")).click()
    page.get_by_role("link", name="Back").click()  # back from Stripe's page without paying

    expect(page).to_have_url(live_server.url + "/checkout/payment/")
    audit.check("pay now or cancel")
    page.get_by_role("link", name="Pay now").click()
    page.get_by_role("button", name=re.compile("^Pay ")).click()

    expect(page.locator("[data-payment-status]")).to_have_text("Payment received")
    audit.check("thank you, paid by card")
    audit.assert_clean()
    context.close()
