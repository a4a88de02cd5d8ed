from django.db import DEFAULT_DB_ALIAS, transaction

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class AtomicUnsafeRequestsMiddleware:
    """ATOMIC_REQUESTS for the requests that may change something.

    A view answering POST (or any unsafe method) runs in one transaction, as
    Django's ATOMIC_REQUESTS runs it: it completes or changes nothing. Safe
    requests read: they run in autocommit, so on SQLite, whose IMMEDIATE mode
    takes the database's write lock at BEGIN, a page view never waits for a
    checkout's lock or holds one, and on PostgreSQL it saves the BEGIN and
    COMMIT. Whatever a safe request does write goes through services that
    are atomic themselves. Views marked `transaction.non_atomic_requests` keep
    running without one, as before.

    Listed last in MIDDLEWARE: it calls the view itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        if DEFAULT_DB_ALIAS in getattr(view_func, "_non_atomic_requests", set()):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
