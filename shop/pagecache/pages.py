"""Whole storefront pages served from memory to anonymous shoppers, never stale.

A product page takes tens of milliseconds to render (five fragrance panels,
their INCI tables, the layout) and is the same for every anonymous shopper but
for a few per-request parts: the CSRF token of its forms, the header's basket
and account links, and the flash messages. Those parts are *holes*: templates
rendered per request through `{% hole %}`; everything else is rendered once,
stored with the revision read before it was built (`revision.current()`), and
served again only while the revision is unchanged. The database raises the
revision in the same transaction as any change a page shows, so the next
request after a change renders afresh.

Served from memory: GET/HEAD by an anonymous user, with no query string, and
only responses with status 200. Staff and signed-in customers get the page
rendered as usual (staff see editing links; customers their stock alerts).

Pages live in the "pages" cache, local to each process: a deploy starts it
empty, so no page built by old templates or with old static file names is
ever served.
"""

import re
from dataclasses import dataclass, field

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.template.response import SimpleTemplateResponse
from django.utils.safestring import SafeString, mark_safe
from oscar.core.context_processors import metadata

from shop.pagecache import revision

HOLE = "<!--pagecache:hole:{}-->"
# A hole's marker, or a CSRF token input as Django's {% csrf_token %} writes it.
_PARTS = re.compile(
    r"<!--pagecache:hole:([\w./-]+)-->"
    r'|<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">'
)


def hole_context(request) -> dict:
    """All a hole template gets: the shopper's own state, nothing from the page."""
    from django.contrib.auth.context_processors import PermWrapper
    from django.template.context_processors import csrf

    return {
        **metadata(request),
        **csrf(request),
        "request": request,
        "user": request.user,
        "perms": PermWrapper(request.user),
        "basket": getattr(request, "basket", None),
        "messages": get_messages(request),
    }


def render_hole(template_name: str, request) -> SafeString:
    return mark_safe(get_template(template_name).render(hole_context(request)))


def is_recording(request) -> bool:
    return getattr(request, "pagecache_recording", False)


@dataclass(frozen=True)
class Page:
    """A rendered page cut at its holes: static text at even indexes, hole names
    (None for a CSRF token) at odd ones."""

    revision: int
    parts: tuple
    extra: dict = field(default_factory=dict)

    @classmethod
    def cut(cls, html: str, *, revision: int, extra: dict | None = None) -> "Page":
        return cls(revision=revision, parts=tuple(_PARTS.split(html)), extra=extra or {})

    def fill(self, request) -> str:
        out = []
        token = None
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
            elif part is None:
                token = token or get_token(request)
                out.append(f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')
            else:
                out.append(render_hole(part, request))
        return "".join(out)


def _servable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
    )


def _key(request) -> str:
    return f"{request.scheme}://{request.get_host()}{request.path}"


class CachedPageMixin:
    """For a class-based view whose page is the same for every anonymous shopper.

    Such a view only reads, so it runs outside a request transaction
    (ATOMIC_REQUESTS): a stored page is then one query, with no BEGIN/COMMIT.
    """

    @classmethod
    def as_view(cls, **initkwargs):
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        if not _servable(request):
            return super().dispatch(request, *args, **kwargs)
        now = revision.current()
        if now is None:
            return super().dispatch(request, *args, **kwargs)
        pages = caches["pages"]
        key = _key(request)
        page = pages.get(key)
        if page is not None and page.revision == now:
            response = HttpResponse(page.fill(request))
            self.page_served(request, response, page)
            return response

        request.pagecache_recording = True
        try:
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse):
                response.render()
        finally:
            request.pagecache_recording = False
        if not isinstance(response, SimpleTemplateResponse):
            return response
        page = Page.cut(response.content.decode(), revision=now, extra=self.page_extra())
        if response.status_code == 200 and self.page_is_storable():
            pages.set(key, page)
        response.content = page.fill(request)
        return response

    def page_is_storable(self) -> bool:
        """Whether this page is, beyond its holes, the same for every anonymous shopper."""
        return True

    def page_extra(self) -> dict:
        """What `page_served` needs to know of a stored page."""
        return {}

    def page_served(self, request, response, page: Page) -> None:
        """A stored page was served: do what the view does besides rendering."""
