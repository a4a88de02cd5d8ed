import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.models import Site

from tests.blog.conftest import create_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_lists_published_articles_with_their_summary(client, db):
    article = create_article("Posture at work", summary="Sit with the ribs over the pelvis.")
    create_article("Unfinished", published=False)

    response = client.get("/blog/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Posture at work"]
    entry = entries[0]
    # Feeds and the sitemap name the shop by its Site (sites framework), as Django does.
    domain = Site.objects.get_current().domain
    assert entry.find(f"{ATOM}link").get("href") == f"http://{domain}{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}summary") == "Sit with the ribs over the pelvis."
    assert entry.findtext(f"{ATOM}updated")


def test_guide_pages_advertise_the_feed(client, db):
    article = create_article()
    for url in ["/blog/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert 'href="/blog/feed/"' in html
