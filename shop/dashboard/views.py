from django.shortcuts import redirect
from oscar.apps.dashboard import views


class IndexView(views.IndexView):
    """The dashboard's front page: a stock manager's is the Stock page.

    Oscar's index (order and customer figures) is for full staff; a stock
    manager sent there would only be refused.
    """

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_staff and user.has_perm("stock.dashboard_access"):
            return redirect("stock-dashboard:stock-list")
        return super().dispatch(request, *args, **kwargs)
