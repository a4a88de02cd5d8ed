"""The product page's weight on a first visit, measured in Debian's chromium."""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 150 * 1024


def test_the_product_page_transfers_at_most_150_kb_on_a_first_visit(
    browser, live_server, storefront
):
    # A phone with a high-density screen, as Lighthouse emulates: the larger image.
    context = browser.new_context(
        viewport={"width": 412, "height": 823}, device_scale_factor=2.625, is_mobile=True
    )
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))

    page.goto(live_server.url + storefront.get_absolute_url(), wait_until="networkidle")

    transferred = {}
    for request in finished:
        sizes = request.sizes()
        transferred[request.url] = sizes["responseHeadersSize"] + sizes["responseBodySize"]
    total = sum(transferred.values())
    report = "\n".join(f"{size:>8} {url}" for url, size in transferred.items())
    assert total <= BUDGET, f"{total} bytes transferred, budget {BUDGET}:\n{report}"
    assert {urlparse(url).netloc for url in transferred} == {urlparse(live_server.url).netloc}
    assert not [url for url in transferred if "jquery" in url or "bootstrap" in url], report
    assert not [url for url in transferred if "/static/oscar/" in url], report

    # Nothing render-blocking but our one stylesheet: every script is deferred.
    blocking = page.evaluate(
        """() => [...document.querySelectorAll("script[src]")]
            .filter((s) => !s.defer && !s.async && s.type !== "module").map((s) => s.src)"""
    )
    assert blocking == []
    stylesheets = page.evaluate(
        """() => [...document.querySelectorAll("link[rel=stylesheet]")].map((l) => l.href)"""
    )
    assert [urlparse(href).path for href in stylesheets] == ["/static/shop/css/shop.css"]

    # Product images: WebP, with a srcset and their own width and height.
    images = page.evaluate(
        """() => [...document.querySelectorAll("img")].map((img) => ({
            src: img.currentSrc || img.src, srcset: img.srcset,
            width: img.getAttribute("width"), height: img.getAttribute("height")}))"""
    )
    assert images
    for image in images:
        assert image["src"].endswith(".webp"), image
        assert image["srcset"], image
        assert image["width"], image
        assert image["height"], image
    context.close()
