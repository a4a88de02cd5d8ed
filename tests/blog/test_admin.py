"""Staff write, reorder, unpublish and preview articles in the Django admin."""

import pytest
from django.urls import reverse

from shop.blog.models import Article
from tests.blog.conftest import create_article

pytestmark = pytest.mark.django_db


def test_staff_create_an_article_as_a_draft_with_a_share_image(admin_client, media):
    response = admin_client.post(
        reverse("admin:blog_article_add"),
        {
            "title": "Desk set-up",
            "slug": "desk-set-up",
            "summary": "A short summary.",
            "body": "A paragraph.\n\n## A part\n\nMore.",
            "status": "draft",
            "published_at_0": "2025-01-01",
            "published_at_1": "09:00:00",
            "position": "30",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="desk-set-up")
    assert article.status == Article.Status.DRAFT
    assert article.toc == [{"id": "a-part", "name": "A part"}]
    assert article.share_image.storage.exists(article.share_image.name)


def test_change_page_links_to_a_preview_of_the_article(admin_client, media):
    article = create_article("Draft", published=False)

    html = admin_client.get(reverse("admin:blog_article_change", args=[article.pk])).content
    preview = reverse("admin:view_on_site", args=[_content_type(article), article.pk])

    assert preview.encode() in html
    assert (
        admin_client.get(preview, follow=True)
        .redirect_chain[-1][0]
        .endswith(article.get_absolute_url())
    )
    assert admin_client.get(article.get_absolute_url()).status_code == 200


def test_staff_reorder_and_unpublish_from_the_list(admin_client, client, media):
    first = create_article("First", position=1)
    second = create_article("Second", position=2)
    url = reverse("admin:blog_article_changelist")

    response = admin_client.post(
        url,
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-position": "3",
            "form-0-status": "published",
            "form-1-id": second.pk,
            "form-1-position": "2",
            "form-1-status": "published",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert list(Article.objects.published().in_guide_order()) == [second, first]

    admin_client.post(url, {"action": "unpublish", "_selected_action": [first.pk], "index": "0"})

    assert list(Article.objects.published()) == [second]
    assert client.get(first.get_absolute_url()).status_code == 404


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk
