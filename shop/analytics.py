"""Oscar's analytics counters, made safe under concurrent requests.

Oscar updates a counter and, when no row exists yet, creates it. Two requests
that view a product for the first time both create; one hits the unique key,
and under ATOMIC_REQUESTS its transaction is broken, so the page fails with a
500 (seen on PostgreSQL with 8 concurrent shoppers). Here each increment is one
`INSERT ... ON CONFLICT DO UPDATE`, which both SQLite and PostgreSQL apply
atomically, and it runs after the request's transaction commits, so a popular
product's counter row is locked for one statement, not for a whole request.
A counter must never break a page: failures are logged (`robust=True`).

Product views are the exception: a stored page is served in one read, so its
view is counted in this process's memory (`views`) and written in batches, one
statement per product, by a thread of the process every SHOP_VIEW_FLUSH_SECONDS
or sooner once SHOP_VIEW_FLUSH_VIEWS are waiting, and when the process exits.
A process killed outright loses at most that many views; bestsellers count
purchases, which are written with the order.
"""

import atexit
import logging
import os
import threading
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")


def counter_increment(model, *, key: str, key_value: int, field: str, by: int = 1) -> None:
    """Add `by` to `model.field` in the row whose unique `key` is `key_value`, creating it."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns, values = [], []
    for model_field in meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.name == key:
            value = key_value
        elif model_field.name == field:
            value = by
        else:
            value = model_field.get_db_prep_save(model_field.get_default(), connection)
        columns.append(quote(model_field.column))
        values.append(value)
    column = quote(meta.get_field(field).column)
    table = quote(meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(values))}) "
        f"ON CONFLICT ({quote(meta.get_field(key).column)}) "
        f"DO UPDATE SET {column} = {table}.{column} + EXCLUDED.{column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


class ViewCounter:
    """Product views counted in memory, written in batches by a thread of the process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: Counter[int] = Counter()
        self._wake = threading.Event()
        self._pid = None

    def add(self, product_id: int) -> None:
        with self._lock:
            self._counts[product_id] += 1
            waiting = self._counts.total()
        if settings.SHOP_VIEW_FLUSH_SECONDS > 0:
            self._start()
            if waiting >= settings.SHOP_VIEW_FLUSH_VIEWS:
                self._wake.set()

    def waiting(self) -> int:
        with self._lock:
            return self._counts.total()

    def discard(self) -> None:
        with self._lock:
            self._counts.clear()

    def flush(self) -> int:
        """Write the views counted so far; returns how many were written."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
        if not counts:
            return 0
        try:
            with transaction.atomic():
                # A product deleted since its views were counted has no record to keep them.
                for product_id in sorted(
                    Product.objects.filter(pk__in=counts).values_list("pk", flat=True)
                ):
                    counter_increment(
                        ProductRecord,
                        key="product",
                        key_value=product_id,
                        field="num_views",
                        by=counts[product_id],
                    )
        except DatabaseError:
            logger.exception("Product views not written; kept for the next flush")
            with self._lock:
                self._counts.update(counts)
            return 0
        return counts.total()

    def _start(self) -> None:
        # Once per process (a forked worker starts its own).
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
        threading.Thread(target=self._run, name="product-view-flush", daemon=True).start()
        atexit.register(self.flush)

    def _run(self) -> None:
        while True:
            self._wake.wait(settings.SHOP_VIEW_FLUSH_SECONDS or None)
            self._wake.clear()
            try:
                self.flush()
            finally:
                connection.close()  # this thread's own connection, until the next batch


views = ViewCounter()


def _after_commit(func, *args, **kwargs):
    # A closure, not functools.partial: robust on_commit logs a failure by the
    # callback's __qualname__, which a partial lacks.
    def callback():
        func(*args, **kwargs)

    transaction.on_commit(callback, robust=True)


def receive_product_view(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return
    views.add(product.pk)
    if user and user.is_authenticated:
        _after_commit(
            counter_increment, UserRecord, key="user", key_value=user.pk, field="num_product_views"
        )
        _after_commit(UserProductView.objects.create, product=product, user=user)


def receive_basket_addition(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return
    _after_commit(
        counter_increment,
        ProductRecord,
        key="product",
        key_value=product.pk,
        field="num_basket_additions",
    )
    if user and user.is_authenticated:
        _after_commit(
            counter_increment,
            UserRecord,
            key="user",
            key_value=user.pk,
            field="num_basket_additions",
        )


def receive_order_placed(sender, order, user, **kwargs):
    if kwargs.get("raw", False):
        return
    for line in order.lines.all():
        if line.product_id:
            _after_commit(
                counter_increment,
                ProductRecord,
                key="product",
                key_value=line.product_id,
                field="num_purchases",
                by=line.quantity,
            )
    if user and user.is_authenticated:
        _after_commit(oscar_receivers._record_user_order, user, order)


def connect() -> None:
    """Swap Oscar's counter receivers for these ones."""
    for signal, theirs, ours in [
        (product_viewed, oscar_receivers.receive_product_view, receive_product_view),
        (basket_addition, oscar_receivers.receive_basket_addition, receive_basket_addition),
        (order_placed, oscar_receivers.receive_order_placed, receive_order_placed),
    ]:
        signal.disconnect(theirs)
        signal.connect(ours, dispatch_uid=f"shop.analytics.{ours.__name__}")
