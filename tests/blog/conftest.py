import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from shop.blog.models import Article

GUIDE = Path(settings.BASE_DIR) / "fixtures" / "ql-guide.md"


def create_article(title="An article", *, position=1, body=None, published=True, **kwargs):
    slug = kwargs.pop("slug", re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"))
    return Article.objects.create(
        title=title,
        slug=slug,
        summary=kwargs.pop("summary", f"Summary of {title}."),
        body=body if body is not None else f"First paragraph of {title}.",
        position=position,
        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
        published_at=kwargs.pop("published_at", timezone.now() - timedelta(minutes=1)),
        **kwargs,
    )


@pytest.fixture
def imported(media):
    call_command("import_guide", verbosity=0)


class Region(HTMLParser):
    """Paragraphs and headings inside elements marked `data-guide-body`, and the page's
    links by `rel`, read from the real HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.headings, self.rel = [], [], {}
        self._depth, self._text, self._tag = 0, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("rel"):
            self.rel[attrs["rel"]] = attrs["href"]
        if self._depth:
            self._depth += tag == "div"
            if tag in ("p", "h2", "h3"):
                self._text, self._tag = [], tag
        elif "data-guide-body" in attrs:
            self._depth = 1

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == self._tag and self._text is not None:
            text = "".join(self._text)
            (self.paragraphs if tag == "p" else self.headings).append(text)
            self._text = self._tag = None
        if tag == "div":
            self._depth -= 1

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def visible_text(html):
    html = re.sub(r"<head\b.*?</head>", "", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    from html import unescape

    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
