from importlib import import_module

from django.urls import path
from oscar.core.application import OscarDashboardConfig


class DashboardPagesConfig(OscarDashboardConfig):
    """An app of ours with staff pages in Oscar's dashboard.

    `pages` lists them as (route, view class in the app's `views` module, URL name);
    shop/urls.py mounts every such app at /dashboard/<url_prefix>/ under its `namespace`,
    each page behind the app's `default_permissions` / `permissions_map`.
    """

    url_prefix: str
    pages: tuple[tuple[str, str, str], ...] = ()

    def get_urls(self):
        views = import_module(f"{self.name}.views")
        return self.post_process_urls(
            [
                path(route, getattr(views, view).as_view(), name=name)
                for route, view, name in self.pages
            ]
        )
