from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from shop.confirm import safe_on_get
from shop.dashboard.pages import DashboardPagesConfig
from shop.seo.sitemaps import SITEMAPS
from shop.seo.views import robots_txt
from shop.views import HomeView


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("shop.health.urls")),
    path("admin/", admin.site.urls),
    path("blog/", include("shop.blog.urls")),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("ingredients/", include("catalogue.urls")),
    path("", include("shop.trader.urls")),
    path("contact/", include("shop.contact.urls")),
    path("orders/", include("shop.returns.urls")),
    path("accounts/your-data/", include("shop.privacy.urls")),
    # Our apps' staff pages, each at /dashboard/<url_prefix>/ (shop/dashboard/pages.py).
    *(
        path(
            f"dashboard/{config.url_prefix}/", include(config.urls[:2], namespace=config.namespace)
        )
        for config in apps.get_app_configs()
        if isinstance(config, DashboardPagesConfig)
    ),
    path("", include("shop.payment.urls")),
    # Oscar's storefront, with its views that acted on GET asking first (shop/confirm.py).
    path("", include(safe_on_get(apps.get_app_config("oscar").urls[0]))),
]

if settings.SHOP_SERVE_MEDIA:
    urlpatterns.insert(0, re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media))

# A database that cannot be reached answers 503 with Retry-After, not 500 (shop/health).
handler500 = "shop.health.views.server_error"
