"""The storefront's Content-Security-Policy in Debian's chromium: no page and no step
of a guest checkout does anything the policy refuses, and a <script> that staff
type into any of the five places that show their HTML never runs."""

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import add_to_basket, checkout_as_guest
from tests.factories import create_staff_html_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every violation the browser reports, in the page and in its frames.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`
    );
});
"""


class Policy:
    """The violations (and console errors) of each page visited, by name."""

    def __init__(self, context):
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.reports = {}
        self.console = []
        self.page.on(
            "console",
            lambda m: "Content Security Policy" in m.text and self.console.append(m.text),
        )

    def check(self, name):
        self.page.wait_for_load_state("load")
        found = self.page.evaluate("window.__violations")
        if found:
            self.reports[name] = found

    def assert_clean(self):
        assert self.reports == {}
        assert self.console == []


@pytest.fixture
def staff_html_pages(storefront):
    return create_staff_html_pages()


def test_no_storefront_page_breaks_the_policy(browser, live_server, storefront, staff_html_pages):
    rose = storefront.children.get(title__endswith="Rose")
    context = browser.new_context()
    policy = Policy(context)
    pages = {
        "home": "/",
        "catalogue": "/catalogue/",
        "product": storefront.get_absolute_url(),
        "fragrance": rose.get_absolute_url(),
        "guide": "/blog/",
        "article": "/blog/how-i-recommend-using-the-magnesium-cream-for-ql-muscle-pain/",
        "ingredients": "/ingredients/",
        "ingredient": "/ingredients/magnesium-chloride/",
        "search": "/search/?q=lavender",
        "sign in or register": "/accounts/login/",
        "register": "/accounts/register/",
        "password reset": "/password-reset/",
        "empty basket": "/basket/",
        "page not found": "/no-such-page/",
        **staff_html_pages,
    }
    for name, path in pages.items():
        policy.page.goto(live_server.url + path)
        policy.check(name)
    policy.assert_clean()

    # The recorder itself works: a style attribute set by script is refused.
    policy.page.evaluate("document.body.setAttribute('style', 'color: red')")
    policy.page.wait_for_function("window.__violations.length > 0")
    assert "style-src-attr" in policy.page.evaluate("window.__violations")[0]
    context.close()


def test_no_step_of_a_guest_checkout_breaks_the_policy(
    browser, live_server, storefront, reference_data
):
    context = browser.new_context()
    policy = Policy(context)
    page = policy.page

    def visit(name):
        policy.check(name)
        if name == "gateway":
            password = page.get_by_role("textbox", name="Password")
            expect(password).to_be_disabled()  # gateway.js, a static file, ran
            page.get_by_label("I am a returning customer").check()
            expect(password).to_be_enabled()
            page.get_by_label("I am a new customer and want to checkout as a guest").check()

    add_to_basket(page, live_server.url, storefront, "Rose", visit=visit)
    checkout_as_guest(page, live_server.url, visit=visit)

    expect(page.get_by_role("heading", name="Bank transfer")).to_be_visible()
    page.get_by_role("button", name="Place order").click()

    expect(page).to_have_url(live_server.url + "/checkout/thank-you/")
    expect(page.locator("[data-bank-details]")).to_contain_text("Sort code")
    policy.check("thank you")
    policy.assert_clean()
    context.close()


def test_a_script_staff_type_into_any_of_the_five_places_is_inert(browser, live_server, media):
    pages = create_staff_html_pages()
    # The policy is not what stops it here: the sanitiser is.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    for name, path in pages.items():
        page.goto(live_server.url + path)
        bold = page.locator("main strong", has_text="bold").first
        expect(bold).to_be_visible()
        page.locator("main").get_by_text("a link").first.click()
        page.locator("main p", has_text="Kept").first.click()
        assert page.evaluate("window.__owned") is None, name
        assert page.url.startswith(live_server.url + path), name
    context.close()
