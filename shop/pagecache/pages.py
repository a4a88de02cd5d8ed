"""Whole storefront pages served from memory to anonymous shoppers, never stale.

A product page takes tens of milliseconds to render (five fragrance panels,
their INCI tables, the layout) and is the same for every anonymous shopper but
for a few per-request parts: the CSRF token of its forms, the header's basket
and account links, and the flash messages. Those parts are *holes*: templates
rendered per request through `{% hole %}`; everything else is rendered once and
stored with the numbers of the scopes it depends on (`revision.numbers()`, read
before it was built), and served again only while those numbers are unchanged.
The database raises a scope's number in the same transaction as any change in
it, so the next request after a change renders afresh.

Parts that depend on a narrower scope than their page are *fragments*
(`{% fragment %}`): a fragrance's price and stock are stored on their own,
under that fragrance's stock number, and re-rendered alone when it changes
(an order for Lavender re-renders Lavender's two fragments, not the page). A
fragment also records its *state*, whatever the page around it depends on
(which fragrance a parent page opens on, the offers of its structured data):
when a re-rendered fragment's state differs, the whole page is rendered again.

A hit costs one query (all the numbers), no transaction and no session write.
When the numbers cannot be read (the database is down or locked), the stored
copy is served as it is, with `X-Page-Cache: stale`. Stored pages also expire
after `SHOP_PAGE_CACHE_SECONDS` (a last line of defence), and
`SHOP_PAGE_CACHE=false` switches all of it off. `X-Page-Cache` says what
happened: hit, miss, stale, bypass (not for the cache) or off.

Served from memory: GET/HEAD by an anonymous user, with no query string, and
only responses with status 200. Staff and signed-in customers get the page
rendered as usual. Pages live in the "pages" cache, local to each process: a
deploy starts it empty, so no page built by old templates is ever served.
"""

import logging
import re
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from oscar.core.context_processors import metadata
from oscar.core.loading import get_model

from shop.pagecache import revision

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
HOLE = "<!--pagecache:hole:{}-->"
FRAGMENT = "<!--pagecache:fragment:{}:{}-->"
# A hole's or fragment's marker, or a CSRF token input as {% csrf_token %} writes it.
_PARTS = re.compile(
    r"<!--pagecache:((?:hole|fragment):[\w./:-]+)-->"
    r'|<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">'
)
# The tables a query reads, as Django quotes them on SQLite and PostgreSQL.
_TABLES = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
# Read while a page is built, but never part of it.
_NOT_PAGE_DATA = {revision.TABLE, "django_session"}


class Stale(Exception):
    """A stored page cannot be completed: render it afresh."""


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
class FragmentKind:
    """A part of a page stored under a narrower scope (see the module's docstring)."""

    name: str  # the template's context variable
    key: Callable[[object], int]  # the object's key in the marker
    scope: Callable[[int], str]  # the scope of a key
    state: Callable[[object], Hashable]  # what the page around it depends on
    load: Callable[[int, object], object | None]  # the object again, for a request


FRAGMENTS: dict[str, FragmentKind] = {}


def register_fragment(template_name: str, kind: FragmentKind) -> None:
    FRAGMENTS[template_name] = kind


def _expired(created: float, seconds: float | None = None) -> bool:
    limit = settings.SHOP_PAGE_CACHE_SECONDS
    return time.monotonic() - created >= (limit if seconds is None else min(seconds, limit))


@dataclass(frozen=True)
class Page:
    """A rendered page (or fragment) cut at its holes: static text at even indexes;
    at odd ones "hole:<template>" or None (a CSRF token).

    A page with fragments keeps its `layout` (also "fragment:<template>:<key>"
    parts) and, in `parts`, the layout with the fragments it was last served
    with filled in: a hit costs no fragment lookups until a fragment's scope moves.
    """

    parts: tuple
    deps: dict  # the page's own scopes -> their numbers when it was built (None: no row yet)
    fragment_deps: dict = field(default_factory=dict)  # the same, for the fragments in parts
    layout: tuple = ()
    states: dict = field(default_factory=dict)  # fragment -> its state when the page was built
    extra: dict = field(default_factory=dict)
    created: float = field(default_factory=time.monotonic)
    seconds: float | None = None  # sooner than SHOP_PAGE_CACHE_SECONDS
    # `parts` with the holes as a shopper with no state of their own sees them
    # (filled in on the first such request); only CSRF tokens left to fill.
    stateless: tuple = ()

    @classmethod
    def cut(cls, html: str, **kwargs) -> "Page":
        return cls(parts=tuple(_PARTS.split(html)), **kwargs)

    def is_fresh(self, numbers: dict) -> bool:
        """Servable as it is."""
        return self.is_own_fresh(numbers) and _match(self.fragment_deps, numbers)

    def is_own_fresh(self, numbers: dict) -> bool:
        """Servable once its moved fragments are brought up to date (`resolved`)."""
        return not _expired(self.created, self.seconds) and _match(self.deps, numbers)

    def resolved(self, request, numbers: dict) -> "Page":
        """This page with its fragments as `numbers` have them (Stale: render it afresh)."""
        if not self.layout:
            return self
        parts = [""]
        fragment_deps = {}
        for index, part in enumerate(self.layout):
            if index % 2 == 0:
                parts[-1] += part
            elif part is not None and part.startswith("fragment:"):
                fragment = _fragment(part.removeprefix("fragment:"), request, numbers, self)
                fragment_deps.update(fragment.deps)
                parts[-1] += fragment.parts[0]
                parts.extend(fragment.parts[1:])
            else:
                parts.extend([part, ""])
        return replace(self, parts=tuple(parts), fragment_deps=fragment_deps, stateless=())

    def with_stateless(self, request) -> "Page":
        html = "".join(
            part
            if index % 2 == 0
            else _EMPTY_TOKEN
            if part is None
            else render_hole(part[5:], request)
            for index, part in enumerate(self.parts)
        )
        return replace(self, stateless=tuple(_PARTS.split(html)))

    def fill_stateless(self, request) -> str:
        return "".join(
            part if index % 2 == 0 else _token_input(request)
            for index, part in enumerate(self.stateless)
        )

    def fill(self, request, numbers: dict | None) -> str:
        """The page for this request; `numbers` None: the database is in trouble."""
        out = []
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
            elif part is None:
                out.append(_token_input(request))
            else:
                out.append(_hole(part.removeprefix("hole:"), request, numbers))
        return "".join(out)


def _match(deps: dict, numbers: dict) -> bool:
    return all(numbers.get(scope) == number for scope, number in deps.items())


_EMPTY_TOKEN = '<input type="hidden" name="csrfmiddlewaretoken" value="">'


def is_stateless(request) -> bool:
    """A shopper with no session, basket or messages: every hole is the same for them all."""
    from django.contrib.messages.storage.cookie import CookieStorage

    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or CookieStorage.cookie_name in cookies
    )


def _token_input(request) -> str:
    # One masked token per response.
    if not hasattr(request, "_pagecache_token"):
        request._pagecache_token = get_token(request)
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{request._pagecache_token}">'


def _hole(template_name: str, request, numbers: dict | None) -> str:
    if numbers is not None:
        return render_hole(template_name, request)
    try:  # the database is in trouble: a shopper's basket or account may not be readable
        return render_hole(template_name, request)
    except DatabaseError:
        return ""


def _fragment_key(template_name: str, key) -> str:
    return f"fragment:{template_name}:{key}"


def _store_fragment(template_name: str, key, html: str, numbers: dict) -> Page:
    scopes = (FRAGMENTS[template_name].scope(int(key)), revision.ALL)
    fragment = Page.cut(html, deps={scope: numbers.get(scope) for scope in scopes})
    caches["pages"].set(_fragment_key(template_name, key), fragment, _timeout())
    return fragment


def record_fragment(request, template_name: str, obj, html: str) -> str:
    """While a page is being stored: store a fragment of it and leave its marker."""
    kind = FRAGMENTS[template_name]
    key = kind.key(obj)
    _store_fragment(template_name, key, html, request.pagecache_numbers)
    request.pagecache_states[f"{template_name}:{key}"] = kind.state(obj)
    return FRAGMENT.format(template_name, key)


def _fragment(name: str, request, numbers: dict, page: Page) -> Page:
    """A fragment of `page` as `numbers` have it: stored, or rendered again alone."""
    template_name, key = name.rsplit(":", 1)
    stored = caches["pages"].get(_fragment_key(template_name, key))
    if stored is not None and stored.is_fresh(numbers):
        return stored
    kind = FRAGMENTS[template_name]
    obj = kind.load(int(key), request)
    if obj is None or kind.state(obj) != page.states.get(name):
        raise Stale(name)
    from django.template.context_processors import csrf

    html = get_template(template_name).render({kind.name: obj, **csrf(request)})
    return _store_fragment(template_name, key, html, numbers)


def _timeout() -> float:
    return settings.SHOP_PAGE_CACHE_SECONDS


def _servable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
    )


def _key(request) -> str:
    return f"{request.scheme}://{request.get_host()}{request.path}"


def _tables(sql: str) -> set[str]:
    return set(_TABLES.findall(sql))


def model_tables(models) -> set[str]:
    """The tables of `models`, with the join tables of many-to-many fields between them."""
    tables = {model._meta.db_table for model in models}
    for model in models:
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through
            if through._meta.auto_created and many.related_model in models:
                tables.add(through._meta.db_table)
    return tables


class CachedPageMixin:
    """For a class-based view whose page is the same for every anonymous shopper.

    `page_models` names every model the page is built from ("app_label.Model"):
    the page depends on their tables' scopes, or on its product family's for
    the catalogue rows of a product (`page_family`). `manage.py check` fails
    when one of those tables raises no revision, and a page that reads a table
    it does not name is not stored (and logged), so a dependency cannot be
    missed silently.
    """

    page_models: tuple[str, ...] = ()

    @classmethod
    def models(cls) -> list:
        return [get_model(*label.split(".")) for label in cls.page_models]

    def dispatch(self, request, *args, **kwargs):
        if not settings.SHOP_PAGE_CACHE:
            return _with_header(super().dispatch(request, *args, **kwargs), "off")
        pages = caches["pages"]
        key = _key(request)
        try:
            servable = _servable(request)
            numbers = revision.numbers() if servable else None
        except DatabaseError:
            response = self.stale_response(request, pages.get(key))
            if response is None:
                raise
            return response
        if not servable:
            return _with_header(super().dispatch(request, *args, **kwargs), "bypass")

        page = pages.get(key)
        if page is not None and page.is_own_fresh(numbers):
            if not page.is_fresh(numbers):
                # A fragment moved (an order for one fragrance): bring it up to date alone.
                try:
                    page = page.resolved(request, numbers)
                except Stale:
                    page = None
                else:
                    pages.set(key, page, _timeout())
            if page is not None:
                if is_stateless(request):
                    if not page.stateless:
                        page = page.with_stateless(request)
                        pages.set(key, page, _timeout())
                    response = HttpResponse(page.fill_stateless(request))
                    # What the holes would have said by reading the session.
                    patch_vary_headers(response, ("Cookie",))
                else:
                    response = HttpResponse(page.fill(request, numbers))
                self.page_served(request, response, page)
                return _with_header(response, "hit")
        return self.store(request, key, numbers, *args, **kwargs)

    def store(self, request, key, numbers, *args, **kwargs):
        request.pagecache_recording = True
        request.pagecache_numbers = numbers
        request.pagecache_states = {}
        read = set()

        def record(execute, sql, params, many, context):
            read.update(_tables(sql))
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(record):
                response = super().dispatch(request, *args, **kwargs)
                if isinstance(response, SimpleTemplateResponse):
                    response.render()
        finally:
            request.pagecache_recording = False
        if not isinstance(response, SimpleTemplateResponse):
            return _with_header(response, "bypass")
        layout = Page.cut(
            response.content.decode(),
            deps=self.page_deps(numbers),
            states=request.pagecache_states,
            extra=self.page_extra(),
            seconds=self.page_seconds(),
        )
        page = replace(layout, layout=layout.parts if request.pagecache_states else ())
        page = page.resolved(request, numbers)
        undeclared = read - model_tables(self.models()) - _NOT_PAGE_DATA
        if undeclared:
            logger.error(
                "%s read %s, which its page_models do not name: not stored",
                type(self).__name__,
                ", ".join(sorted(undeclared)),
            )
        elif response.status_code == 200 and self.page_is_storable():
            caches["pages"].set(key, page, _timeout())
        response.content = page.fill(request, numbers)
        return _with_header(response, "miss")

    def page_deps(self, numbers: dict) -> dict:
        family = self.page_family()
        scopes = {revision.ALL}
        for model in self.models():
            kind = revision.kind(model)
            if family is not None and kind in ("product", "product_ref"):
                scopes.add(revision.family_scope(family))
            elif family is not None and kind == "stock":
                continue  # in fragments, and their states (see the module's docstring)
            else:
                scopes.add(model._meta.db_table)
                for many in model._meta.local_many_to_many:
                    scopes.add(many.remote_field.through._meta.db_table)
        return {scope: numbers.get(scope) for scope in scopes}

    def stale_response(self, request, page: Page | None):
        """The stored copy, when the numbers cannot be read; None when there is none."""
        if page is None or _expired(page.created, page.seconds):
            return None
        response = HttpResponse(page.fill(request, None))
        logger.warning("Serving a stored page of %s: its revision cannot be read", request.path)
        return _with_header(response, "stale")

    def page_seconds(self) -> float | None:
        """How long the page may be stored when that is shorter than SHOP_PAGE_CACHE_SECONDS
        (a page that changes with time)."""
        return None

    def page_family(self):
        """The product whose family's catalogue rows the page shows, if any."""
        return None

    def page_is_storable(self) -> bool:
        """Whether this page is, beyond its holes, the same for every anonymous shopper."""
        return True

    def page_extra(self) -> dict:
        """What `page_served` needs to know of a stored page."""
        return {}

    def page_served(self, request, response, page: Page) -> None:
        """A stored page was served: do what the view does besides rendering."""


def _with_header(response, value: str):
    response[HEADER] = value
    return response
