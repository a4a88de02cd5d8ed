"""Lighthouse (npm, package.json) with Debian's chromium: mobile scores of at
least 95 in performance, accessibility, best practices and SEO on every kind of
storefront page. The goal is 100; the gap is noise allowance."""

import json
import os
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = 0.95
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse(cli, url, *, cookie=None):
    """Lighthouse's report of `url`, run as CI runs it: mobile, the four categories."""
    command = [
        str(cli),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    # Lighthouse 12 with this chromium fails to record about one page load in
    # six ("NO_NAVSTART ... Please run Lighthouse again"): a failed recording is
    # run again, up to twice; a low score never is.
    for _attempt in range(3):
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=False,
        )
        if result.returncode == 0 or "Please run Lighthouse again" not in result.stderr:
            break
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def shortfalls(report):
    """Each category's score, and the audits that cost it points."""
    scores, failing = {}, []
    for key in CATEGORIES:
        category = report["categories"][key]
        scores[key] = round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(
                    f"{key}: {ref['id']} {audit['score']} {audit.get('displayValue', '')}"
                )
    return scores, failing


def basket_cookie(browser, live_server, product):
    """The cookies of a shopper who put `product` in their basket."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + product.get_absolute_url())
    page.locator("section.variant-panel:visible").get_by_role("button", name="to basket").click()
    expect(page.get_by_text("added to your basket").first).to_be_visible()
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    context.close()
    return cookie


def test_lighthouse_scores_at_least_95_in_every_category_on_every_storefront_page(
    browser, live_server, storefront, storefront_pages, lighthouse_cli
):
    # Every page is audited as a shopper with a jar of Rose in their basket.
    rose = storefront.children.get(title__endswith="Rose")
    cookie = basket_cookie(browser, live_server, rose)
    request = urllib.request.Request(live_server.url + "/basket/", headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as response:
        assert "Magnesium Body Cream – Rose" in response.read().decode()

    results, problems = {}, []
    for name, path in storefront_pages.items():
        report = lighthouse(lighthouse_cli, live_server.url + path, cookie=cookie)
        scores, failing = shortfalls(report)
        results[name] = scores
        if min(scores.values()) < MINIMUM * 100:
            problems.append(f"{name} {path}: {scores}\n    " + "\n    ".join(failing))
    print("\nLighthouse (mobile):")
    for name, scores in results.items():
        print(f"  {name:14} {scores}")
    assert problems == [], "\n".join(problems)
