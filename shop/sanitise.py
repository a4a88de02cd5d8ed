"""Staff-typed HTML made safe to show on the storefront.

One sanitiser for every place staff type HTML: the guide's articles (Markdown
rendered to HTML), a product's description, category descriptions, flat pages,
offer and range descriptions. nh3 keeps a short list of formatting tags and
drops everything else, so a `<script>`, an `onerror` attribute or a
`javascript:` link never reaches a page; the text inside a dropped tag stays.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(raw: str) -> str:
    """Formatting kept, script never: the tags above, links to http(s) and mailto only."""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def sanitised(value) -> SafeString:
    """`value` (staff HTML, possibly None) cleaned and marked safe for a template."""
    return mark_safe(sanitise_html(str(value or "")))
