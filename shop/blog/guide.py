"""The owner's guide (a Markdown file) read into its introduction and sections.

Only markup changes on the way: the editorial HTML comment is dropped, and
`###` subsections become `##` because each section is a page of its own whose
title is the page's `<h1>`. The words stay the owner's.
"""

import re
from dataclasses import dataclass

from django.utils.text import slugify

SUMMARY_MIN_LENGTH = 120


@dataclass(frozen=True)
class Section:
    title: str
    body: str

    @property
    def key(self) -> str:
        return slugify(self.title)

    @property
    def summary(self) -> str:
        return summarise(self.body)


@dataclass(frozen=True)
class GuideSource:
    title: str
    intro: str
    sections: list[Section]


def blocks(markdown_text: str) -> list[str]:
    """The blank-line separated blocks (paragraphs and headings) of a text."""
    return [block.strip() for block in re.split(r"\n\s*\n", markdown_text) if block.strip()]


def summarise(body: str) -> str:
    """The opening sentences of the first paragraph, word for word (no rewording)."""
    first = next((block for block in blocks(body) if not block.startswith("#")), "")
    summary = ""
    for sentence in re.split(r"(?<=[.!?])\s+", first):
        summary = f"{summary} {sentence}".strip()
        if len(summary) >= SUMMARY_MIN_LENGTH:
            break
    return summary


def parse_guide(text: str) -> GuideSource:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    title = ""
    intro: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for block in blocks(text):
        if block.startswith("# "):
            if title:
                raise ValueError(f"The guide has a second title: {block!r}")
            title = block[2:].strip()
        elif block.startswith("## "):
            sections.append((block[3:].strip(), []))
        elif block.startswith("### "):
            if not sections:
                raise ValueError(f"A subsection comes before the first section: {block!r}")
            sections[-1][1].append("## " + block[4:].strip())
        elif sections:
            sections[-1][1].append(block)
        else:
            intro.append(block)
    if not title:
        raise ValueError("The guide has no title (a first line starting with '# ').")
    return GuideSource(
        title=title,
        intro="\n\n".join(intro),
        sections=[Section(title=name, body="\n\n".join(body)) for name, body in sections],
    )
