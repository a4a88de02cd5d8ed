"""Review every fragrance's label as a label reviewer would, from the live data.

Exits non-zero when any variant has a problem, so it can gate a release.
"""

from django.core.management.base import BaseCommand, CommandError

from catalogue.ingredients import label_reviews


class Command(BaseCommand):
    help = "Check every variant's ingredient label; exit non-zero on a problem."

    def handle(self, *args, **options):
        reviews = label_reviews()
        for review in reviews:
            name = f"{review.product.get_title()} ({review.product.upc or review.product.pk})"
            if review.ok:
                self.stdout.write(f"{name}: ok")
                continue
            self.stdout.write(self.style.ERROR(f"{name}:"))
            for problem in review.problems:
                self.stdout.write(f"  - {problem}")
        failed = [r for r in reviews if not r.ok]
        if failed:
            raise CommandError(f"{len(failed)} of {len(reviews)} labels need attention.")
        self.stdout.write(self.style.SUCCESS(f"{len(reviews)} labels checked: no problem."))
