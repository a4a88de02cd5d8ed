import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search app, forked: /search/?q= finds products and the guide's articles.

    Oscar asks haystack, and haystack's simple backend finds nothing once Oscar
    adds its own filters (Oscar issue #4366, as for the catalogue listing); a
    shop this size needs no index, so the search reads the database.
    """

    name = "shop.search"

    def ready(self):
        from shop.search.views import SearchView

        self.search_view = SearchView
