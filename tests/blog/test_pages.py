"""/blog/ and /blog/<slug>/: the guide in order, each article with its place in it."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from shop.blog.models import Article
from tests.blog.conftest import Region, create_article, visible_text
from tests.factories import create_cream

pytestmark = pytest.mark.django_db

MEDICAL = settings.BLOG_MEDICAL_ARTICLE_SLUG


@pytest.fixture
def three(db):
    return [
        create_article(
            "First steps", position=1, body="One.\n\n## Part A\n\nA.\n\n## Part B\n\nB."
        ),
        create_article("Middle ground", position=2, body="Two."),
        create_article("When to see a doctor", position=3, slug=MEDICAL, body="Three."),
    ]


def test_blog_lists_published_articles_in_guide_order_with_summary_and_reading_time(client, three):
    create_article("A draft", position=0, published=False)
    create_article("Later", position=0, published_at=timezone.now() + timedelta(days=1))
    three[0].position = 5
    three[0].save()

    html = client.get("/blog/").content.decode()

    titles = re.findall(r'<h3 class="h5">\s*<a href="/blog/[^"]+/">([^<]+)</a>', html)
    assert titles == ["Middle ground", "When to see a doctor", "First steps"]
    text = visible_text(html)
    assert "Summary of Middle ground." in text
    assert "1 minute read" in text
    assert "A draft" not in text
    assert "Later" not in text


def test_article_page_shows_the_article_with_breadcrumbs_toc_and_its_neighbours(client, three):
    first, middle, last = three

    html = client.get(middle.get_absolute_url()).content.decode()

    assert "<h1>Middle ground</h1>" in html
    crumbs = re.search(r'<ol class="breadcrumb">.*?</ol>', html, re.S).group(0)
    assert re.findall(r"<a href=\"([^\"]+)\">", crumbs) == ["/", "/blog/"]
    assert 'aria-current="page">Middle ground</li>' in crumbs
    assert Region(html).rel == {"prev": first.get_absolute_url(), "next": last.get_absolute_url()}
    assert "In this article" not in html  # no subsections, no table of contents

    html = client.get(first.get_absolute_url()).content.decode()
    assert Region(html).rel == {"next": middle.get_absolute_url()}
    toc = re.search(r'<nav class="guide-toc".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc) == [
        ("part-a", "Part A"),
        ("part-b", "Part B"),
    ]
    assert '<h2 id="part-a">Part A</h2>' in html

    assert Region(client.get(last.get_absolute_url()).content.decode()).rel == {
        "prev": middle.get_absolute_url()
    }


def test_every_page_notes_it_is_educational_and_links_to_medical_attention(client, three):
    medical = three[2]
    for url in ["/blog/", three[0].get_absolute_url(), three[1].get_absolute_url()]:
        html = client.get(url).content.decode()
        note = re.search(r'<aside class="guide-note".*?</aside>', html, re.S).group(0)
        assert "not medical advice" in note, url
        assert f'<a href="{medical.get_absolute_url()}" data-medical-link>' in note, url
    own = client.get(medical.get_absolute_url()).content.decode()
    assert "not medical advice" in own
    assert "data-medical-link" not in own


def test_unknown_draft_and_scheduled_articles_are_404_for_the_public(client, db):
    draft = create_article("Draft", published=False)
    scheduled = create_article("Soon", published_at=timezone.now() + timedelta(hours=1))

    assert client.get("/blog/no-such-article/").status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_preview_drafts_marked_as_such_and_kept_out_of_search_engines(admin_client, db):
    draft = create_article("Draft", published=False)

    response = admin_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not published: only staff can see this page." in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Draft" in visible_text(admin_client.get("/blog/").content.decode())


def test_articles_about_the_cream_show_a_card_linking_to_the_product(client, media):
    cream = create_cream()
    about = create_article("Fragrances", position=1)
    about.related_products.add(cream)
    other = create_article("Posture", position=2)

    html = client.get(about.get_absolute_url()).content.decode()
    card = re.search(r"<aside class=\"card guide-product\".*?</aside>", html, re.S).group(0)
    assert f'href="{cream.get_absolute_url()}"' in card
    assert "Magnesium Body Cream" in card
    assert "<img" in card

    assert "data-product-card" not in client.get(other.get_absolute_url()).content.decode()


def test_article_html_is_sanitised(client, db):
    article = create_article(
        "Pasted",
        body=(
            "Safe paragraph.\n\n"
            '<script>alert("owned")</script>\n\n'
            '<img src="https://evil.example/x.png" onerror="alert(1)">\n\n'
            '<p onclick="alert(2)">Clicked</p>\n\n'
            "[a link](javascript:alert(3))\n\n"
            '<iframe src="https://evil.example/"></iframe>'
        ),
    )

    html = client.get(article.get_absolute_url()).content.decode()
    body = re.search(r"<div class=\"guide-body\" data-guide-body>(.*?)</div>", html, re.S)

    assert "<p>Safe paragraph.</p>" in body.group(1)
    assert "<p>Clicked</p>" in body.group(1)
    for inert in ["<script", "alert(", "onerror", "onclick", "javascript:", "<iframe", "evil"]:
        assert inert not in body.group(1), inert


def test_blog_renders_in_at_most_10_queries_whatever_the_number_of_articles(
    client, db, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def render():
        with (
            django_assert_max_num_queries(10) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.get("/blog/")
        assert response.status_code == 200
        return response.content.decode().count('<h3 class="h5">'), len(queries)

    for i in range(3):
        create_article(f"Article {i}", position=i)
    three = render()
    for i in range(3, 30):
        create_article(f"Article {i}", position=i)
    thirty = render()

    assert (three[0], thirty[0]) == (3, 30)
    assert three[1] == thirty[1]


def test_article_page_renders_in_at_most_10_queries(
    client, media, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    cream = create_cream()
    for i in range(20):
        create_article(f"Article {i}", position=i)
    article = Article.objects.get(title="Article 10")
    article.related_products.add(cream)

    with (
        django_assert_max_num_queries(10),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "data-product-card" in response.content.decode()
