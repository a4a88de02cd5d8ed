from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from shop.seo.sitemaps import SITEMAPS
from shop.seo.views import robots_txt
from shop.views import HomeView


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("blog/", include("shop.blog.urls")),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("ingredients/", include("catalogue.urls")),
    path(
        "dashboard/ingredients/",
        include(apps.get_app_config("ingredient").urls[:2], namespace="ingredient-dashboard"),
    ),
    path(
        "dashboard/emails/",
        include(apps.get_app_config("mail").urls[:2], namespace="mail-dashboard"),
    ),
    path(
        "dashboard/stock/",
        include(apps.get_app_config("stock").urls[:2], namespace="stock-dashboard"),
    ),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.SHOP_SERVE_MEDIA:
    urlpatterns.insert(0, re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media))
