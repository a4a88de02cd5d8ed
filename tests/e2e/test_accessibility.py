"""axe-core in Debian's chromium: no violations on the storefront's pages and on
each step of a guest checkout, and no console errors on any of them."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# axe-core is added to each page as an inline script, which the shop's
# Content-Security-Policy refuses; the policy itself is checked by
# tests/e2e/test_content_security_policy.py.
AXE_IS_INJECTED = True

RUN_AXE = """async () => (await axe.run(document)).violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
}))"""


class Audit:
    """axe-core's violations and the console's errors, page by page."""

    def __init__(self, page, axe_script):
        self.page = page
        self.axe_script = axe_script
        self.violations = {}
        self.errors = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check(self, name):
        self.page.wait_for_load_state("load")
        self.page.add_script_tag(path=str(self.axe_script))
        found = self.page.evaluate(RUN_AXE)
        if found:
            self.violations[name] = found

    def assert_clean(self):
        assert self.violations == {}, "\n".join(
            f"{page}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}"
            for page, found in self.violations.items()
            for v in found
        )
        assert self.errors == []


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

    page.goto(live_server.url + storefront.get_absolute_url())
    page.get_by_role("radio", name=re.compile("^Rose")).check()
    page.locator("section.variant-panel:visible").get_by_role(
        "button", name="Add Rose to basket"
    ).click()
    expect(page.get_by_text(re.compile("added to your basket")).first).to_be_visible()
    audit.check("product page with a message")

    page.goto(live_server.url + "/basket/")
    expect(page.locator("#basket_formset")).to_contain_text("Rose")
    audit.check("basket with an item")
    page.get_by_role("link", name="Proceed to checkout").click()

    expect(page).to_have_url(live_server.url + "/checkout/")
    audit.check("gateway")
    page.get_by_label("My email address is").fill("guest@example.com")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(live_server.url + "/checkout/shipping-address/")
    audit.check("shipping address")
    page.get_by_role("button", name="Continue").click()
    audit.check("shipping address with errors")
    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Shopper")
    page.get_by_label("First line of address").fill("1 High Street")
    page.get_by_label("City").fill("London")
    page.get_by_label("Post/Zip-code").fill("SW1A 1AA")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(live_server.url + "/checkout/shipping-method/")
    audit.check("shipping method")
    page.get_by_role("button", name="Select option").first.click()

    # Bank transfer needs no payment details: the payment step is the preview's.
    expect(page).to_have_url(live_server.url + "/checkout/preview/")
    expect(page.get_by_role("heading", name="Bank transfer")).to_be_visible()
    audit.check("payment and preview")
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
    page.goto(live_server.url + storefront.get_absolute_url())
    page.get_by_role("radio", name=re.compile("^Rose")).check()
    page.locator("section.variant-panel:visible").get_by_role(
        "button", name="Add Rose to basket"
    ).click()
    expect(page.get_by_text(re.compile("added to your basket")).first).to_be_visible()
    page.goto(live_server.url + "/checkout/")
    page.get_by_label("My email address is").fill("guest@example.com")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Shopper")
    page.get_by_label("First line of address").fill("1 High Street")
    page.get_by_label("City").fill("London")
    page.get_by_label("Post/Zip-code").fill("SW1A 1AA")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Select option").first.click()

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
