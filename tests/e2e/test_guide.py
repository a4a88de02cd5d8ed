"""Reading the guide in Debian's chromium: from /blog/ to the last article by "next" links."""

import re
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.blog.conftest import GUIDE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_guide_reads_from_the_list_to_the_last_article_through_next_links(
    browser, live_server, media
):
    call_command("import_guide", verbosity=0)
    text = GUIDE.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M).group(1)
    sections = re.findall(r"^## (.+)$", text, re.M)
    page = browser.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    page.goto(live_server.url + "/blog/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("link", name=sections[0], exact=True).click()

    read = []
    for _ in range(len(sections) + 1):
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(sections[len(read)])
        read.append(heading.inner_text())
        expect(page.get_by_role("note")).to_contain_text("not medical advice")
        following = page.locator('a[rel="next"]')
        if following.count() == 0:
            break
        href = following.get_attribute("href")
        following.click()
        expect(page).to_have_url(live_server.url + href)

    assert read == sections
    assert len(read) == 21
    assert hosts == {urlparse(live_server.url).netloc}
    page.close()
