from functools import reduce
from operator import and_, or_

from django.db.models import Q
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from shop.blog.models import Article

Product = get_model("catalogue", "Product")

MAX_TERMS = 10
MAX_RESULTS = 48


def _matching(terms, fields) -> Q:
    """Every term found in at least one of the fields (case-insensitive)."""
    return reduce(
        and_, (reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)) for term in terms)
    )


class SearchView(TemplateView):
    template_name = "oscar/search/results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # PostgreSQL refuses NUL characters in a query parameter.
        query = " ".join(self.request.GET.get("q", "").replace("\x00", "").split())[:200]
        terms = query.split()[:MAX_TERMS]
        ctx.update(query=query, products=[], articles=[])
        if terms:
            ctx["products"] = list(
                Product.objects.browsable()
                .filter(
                    _matching(
                        terms,
                        ["title", "description", "children__title", "children__description"],
                    )
                )
                .distinct()
                .select_related("product_class")
                .prefetch_related("images")
                .order_by("-priority", "title")[:MAX_RESULTS]
            )
            ctx["articles"] = list(
                Article.objects.published()
                .filter(_matching(terms, ["title", "summary", "body"]))
                .in_guide_order()
                .only("slug", "title", "summary", "reading_minutes")[:MAX_RESULTS]
            )
        return ctx
