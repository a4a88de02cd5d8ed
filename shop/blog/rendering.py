"""Markdown to sanitised HTML for the guide's pages.

Staff write Markdown in the admin; whatever they paste (raw HTML included) is
cleaned by the shop's one sanitiser (shop/sanitise.py), so a `<script>` or an `onerror`
attribute never reaches a page. The HTML is rendered once, on save.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown

from shop.sanitise import sanitise_html

WORDS_PER_MINUTE = 200


@dataclass
class Rendered:
    html: str
    # The subsections (level-2 headings in the body), for the table of contents.
    toc: list[dict] = field(default_factory=list)


def render_markdown(text: str) -> Rendered:
    md = markdown.Markdown(extensions=["toc", "sane_lists"])
    raw = md.convert(text)
    clean = sanitise_html(raw)
    toc = [
        {"id": token["id"], "name": html.unescape(token["name"])}
        for token in _flatten(md.toc_tokens)
        if token["level"] == 2
    ]
    return Rendered(html=clean, toc=toc)


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token["children"])


def reading_minutes(text: str) -> int:
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))
