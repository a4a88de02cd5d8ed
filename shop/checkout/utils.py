"""Oscar's checkout session, reading without writing.

Kept from Oscar in our own words: `__init__`, `_check_namespace`, `_get` and
`_flush_namespace` of CheckoutSessionData are one or two lines each, the same
behaviour minus the write on read (there is no hook for it). Re-check them
against oscar/apps/checkout/utils.py when Oscar changes (tests/test_oscar.py).
"""

from oscar.apps.checkout import utils
from oscar.apps.checkout.utils import *  # noqa: F403 (Oscar's names stay importable from here)


class CheckoutSessionData(utils.CheckoutSessionData):
    """Oscar's, except that reading never writes.

    Oscar puts an empty checkout dictionary in the session of every visitor
    who opens a checkout page, so the first page (the guest's e-mail form)
    creates a session in the database before the shopper has entered
    anything: four queries. Here the dictionary is made by the first write.
    """

    def __init__(self, request):
        self.request = request

    def _data(self) -> dict:
        return self.request.session.setdefault(self.SESSION_KEY, {})

    def _check_namespace(self, namespace):
        self._data().setdefault(namespace, {})

    def _get(self, namespace, key, default=None):
        return self.request.session.get(self.SESSION_KEY, {}).get(namespace, {}).get(key, default)

    def _flush_namespace(self, namespace):
        self._data()[namespace] = {}
        self.request.session.modified = True
