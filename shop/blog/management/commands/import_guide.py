"""Import the owner's guide (fixtures/ql-guide.md) as the guide's pages.

Idempotent: a second run writes nothing. Pages that differ from the guide
(edited by staff since, or the guide changed) are reported and kept; they are
replaced only with --overwrite.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shop.blog.guide import parse_guide
from shop.blog.services import guide_import

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "blog.json"


class Command(BaseCommand):
    help = "Import the owner's guide as the blog: the introduction and one article per section."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=Path, help="The guide's Markdown file (default: the fixture's)."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace pages that differ from the guide (staff edits are lost).",
        )

    def handle(self, *args, source=None, overwrite=False, verbosity=1, **options):
        spec = json.loads(FIXTURE.read_text(encoding="utf-8"))
        path = source or FIXTURE.parent / spec["guide"]["source"]
        try:
            text = path.read_text(encoding="utf-8")
            guide = parse_guide(text)
        except OSError as error:
            raise CommandError(f"Cannot read the guide at {path}: {error.strerror}") from error
        except ValueError as error:
            raise CommandError(f"{path} is not a guide: {error}") from error

        report = guide_import(
            source=guide,
            guide_slug=spec["guide"]["slug"],
            related=spec["related_products"],
            overwrite=overwrite,
        )

        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Guide imported: {len(report.created)} created, "
                    f"{len(report.replaced)} replaced, {len(report.unchanged)} unchanged, "
                    f"{len(report.differing)} differ from the guide."
                )
            )
            for slug in report.replaced:
                self.stdout.write(f"  replaced with the guide's text: {slug}")
        for slug, lines in report.differing.items():
            self.stderr.write(self.style.WARNING(f"Differs from the guide, kept as it is: {slug}"))
            for line in lines:
                self.stderr.write(f"    {line}")
        if report.differing:
            self.stderr.write(
                "Run `manage.py import_guide --overwrite` to replace these pages with the "
                "guide's text (their edits are lost)."
            )
        for slug in report.not_in_guide:
            self.stderr.write(
                self.style.WARNING(f"No longer a section of the guide, kept as it is: {slug}")
            )
