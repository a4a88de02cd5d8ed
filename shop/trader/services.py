"""The shop's information pages as flat pages (Oscar's dashboard: Content > Pages)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import transaction

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@dataclass
class PagesReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Pages that differ from the fixture: edited by staff since, kept as they are.
    differing: list[str] = field(default_factory=list)


def page_specs() -> list[dict]:
    """fixtures/pages.json, each page with its HTML from fixtures/pages/."""
    data = json.loads((FIXTURES / "pages.json").read_text(encoding="utf-8"))
    return [
        {**spec, "content": (FIXTURES / "pages" / spec["file"]).read_text(encoding="utf-8")}
        for spec in data["pages"]
    ]


@transaction.atomic
def pages_sync(*, specs: list[dict]) -> PagesReport:
    """Create the pages that are missing; a page that exists is never overwritten (staff
    edit these pages), only reported when it differs from the fixture."""
    report = PagesReport()
    site = Site.objects.get_current()
    for spec in specs:
        page = FlatPage.objects.filter(url=spec["url"]).first()
        if page is None:
            page = FlatPage.objects.create(
                url=spec["url"],
                title=spec["title"],
                content=spec["content"],
                template_name=spec["template_name"],
            )
            page.sites.add(site)
            report.created.append(spec["url"])
        elif (page.title, page.content, page.template_name) == (
            spec["title"],
            spec["content"],
            spec["template_name"],
        ):
            report.unchanged.append(spec["url"])
        else:
            report.differing.append(spec["url"])
    return report
