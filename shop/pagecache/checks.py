"""`manage.py check`: every table a stored page is built from raises a revision."""

from pathlib import Path

from django.core.checks import Error, register
from django.db import DatabaseError, connection
from django.urls import URLPattern, URLResolver, get_resolver

from shop.pagecache import revision
from shop.pagecache.pages import CachedPageMixin, model_tables


def stored_views(patterns=None) -> set[type]:
    """The view classes of the URLconf whose pages are stored."""
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found |= stored_views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None and issubclass(view_class, CachedPageMixin):
                found.add(view_class)
    return found


@register()
def check_triggers(app_configs, **kwargs):
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not Path(name).exists():
        return []  # no database file yet (and none created by looking)
    try:
        if revision.TABLE not in connection.introspection.table_names():
            return []  # not migrated yet: the migrations create the triggers
        triggered = revision.triggered_tables()
    except DatabaseError:
        return []  # no database to look at (it is checked where there is one)
    errors = []
    for view in sorted(stored_views(), key=lambda view: view.__qualname__):
        if not view.page_models:
            errors.append(
                Error(
                    f"{view.__module__}.{view.__qualname__} stores pages but names no page_models.",
                    id="pagecache.E002",
                )
            )
        for table in sorted(model_tables(view.models()) - triggered):
            errors.append(
                Error(
                    f"{view.__qualname__}'s pages are built from {table}, which has no "
                    "page cache trigger: a change there would not reach its stored pages.",
                    hint="Add a migration to shop/pagecache that calls "
                    "revision.install_triggers(), as 0003_scopes_and_triggers does, "
                    "or add the table's app to revision.WATCHED_APPS.",
                    obj=view,
                    id="pagecache.E001",
                )
            )
    return errors
