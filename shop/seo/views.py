from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    """Crawlers may read the shop and the guide, not the back office; the sitemap lists them."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(
        request, "seo/robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain"
    )
