import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shop.analytics import ViewCounter, counter_increment, views

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")

pytestmark = pytest.mark.django_db


def test_counter_creates_then_increments_in_one_statement_each(lavender):
    with CaptureQueriesContext(connection) as queries:
        counter_increment(ProductRecord, key="product", key_value=lavender.pk, field="num_views")
    counter_increment(ProductRecord, key="product", key_value=lavender.pk, field="num_views", by=4)

    assert len(queries) == 1
    record = ProductRecord.objects.get(product=lavender)
    assert (record.num_views, record.num_basket_additions, record.num_purchases) == (5, 0, 0)


def test_product_views_are_counted_in_memory_and_written_in_one_batch(client, lavender):
    with CaptureQueriesContext(connection) as queries:
        client.get(lavender.get_absolute_url())
        client.get(lavender.get_absolute_url())
    assert not [q for q in queries if "analytics_productrecord" in q["sql"]]
    assert views.waiting() == 2

    assert views.flush() == 2
    assert ProductRecord.objects.get(product=lavender).num_views == 2
    assert views.waiting() == 0


@pytest.mark.django_db(transaction=True)
def test_a_process_writes_its_views_by_itself_once_enough_are_waiting(settings, lavender):
    settings.SHOP_VIEW_FLUSH_SECONDS = 60
    settings.SHOP_VIEW_FLUSH_VIEWS = 5
    product = lavender
    counter = ViewCounter()
    for _ in range(4):
        counter.add(product.pk)
    time.sleep(0.5)
    assert not ProductRecord.objects.exists()  # 4 waiting, the next batch in 60 s

    counter.add(product.pk)
    deadline = time.monotonic() + 10
    while not ProductRecord.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ProductRecord.objects.get(product=product).num_views == 5
    assert counter.waiting() == 0


def test_signed_in_views_are_recorded_per_user(
    client, lavender, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw-for-tests-only")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(lavender.get_absolute_url())

    assert UserRecord.objects.get(user=user).num_product_views == 1
    assert UserProductView.objects.filter(user=user, product=lavender).count() == 1


def test_oscars_racy_receivers_are_disconnected():
    from oscar.apps.analytics import receivers
    from oscar.apps.catalogue.signals import product_viewed

    live = [ref() for _key, ref, *_ in product_viewed.receivers]
    assert receivers.receive_product_view not in live
