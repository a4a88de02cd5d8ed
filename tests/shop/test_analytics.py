import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shop.analytics import counter_increment

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


def test_product_view_is_counted_after_the_request_commits(
    client, lavender, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.get(lavender.get_absolute_url())
        assert not ProductRecord.objects.exists()  # nothing written inside the request
    with django_capture_on_commit_callbacks(execute=True):
        client.get(lavender.get_absolute_url())

    assert ProductRecord.objects.get(product=lavender).num_views == 2


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
