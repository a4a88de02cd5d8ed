"""Checkout and the stock alerts with a mail server that is down, hangs, or comes back; a
worker process killed in the middle of a batch. Real SMTP servers on loopback ports."""

import pytest
from django.core.mail import send_mail
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model

from shop.mail.models import OutgoingEmail
from tests.checkout.helpers import add_to_basket, guest_checkout, place_order, ready_to_place
from tests.conftest import run_ready_tasks
from tests.factories import create_cream
from tests.mail.conftest import make_due, wait_until
from tests.servers import SMTPServer

Order = get_model("order", "Order")
StockAlert = get_model("partner", "StockAlert")


@pytest.fixture
def clary(media):
    # 6 in stock, low-stock threshold 5: an order for 2 crosses it.
    return create_cream((("Clary Sage", 6),), images=False).children.get()


@pytest.mark.django_db
def test_an_order_placed_while_the_mail_server_is_down_is_confirmed_once_it_is_back(
    client, clary, smtp, settings
):
    settings.SHOP_STOCK_ALERT_EMAIL = "warehouse@example.com"

    response = guest_checkout(client, clary, quantity=2)  # crosses the low-stock threshold

    # The thank-you page, not a 500: nothing after the commit talked to the mail server.
    assert response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.number in client.get(reverse("checkout:thank-you")).content.decode()
    assert StockAlert.objects.filter(status=StockAlert.OPEN).count() == 1
    queued = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
    assert sorted(queued.values_list("event", flat=True)) == ["LOW_STOCK", "ORDER_PLACED"]

    run_ready_tasks()  # the worker: the mail server is still down
    assert smtp.sink.messages == []
    assert set(queued.values_list("attempts", flat=True)) == {1}

    smtp.start()
    for _ in range(3):  # later: the retries come due (and a stray one finds nothing to do)
        make_due()
        run_ready_tasks()

    confirmations = [m for m in smtp.sink.messages if m["To"] == "guest@example.com"]
    assert len(confirmations) == 1
    assert order.number in confirmations[0]["Subject"]
    assert [m["To"] for m in smtp.sink.messages].count("warehouse@example.com") == 1
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()


@pytest.mark.django_db
def test_placing_an_order_never_talks_to_a_hanging_mail_server(client, clary, hanging_smtp):
    response = guest_checkout(client, clary, quantity=1)

    assert response["Location"] == reverse("checkout:thank-you")
    assert hanging_smtp.accepted == []  # the request opened no connection to it
    assert OutgoingEmail.objects.filter(event="ORDER_PLACED").count() == 1

    run_ready_tasks()  # the worker waits EMAIL_TIMEOUT for each, then schedules a retry
    assert len(hanging_smtp.accepted) == OutgoingEmail.objects.count()
    email = OutgoingEmail.objects.get(event="ORDER_PLACED")
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    assert "timed out" in email.last_error


@pytest.mark.django_db
def test_an_order_that_is_rolled_back_queues_no_email(client, clary):
    from oscar.test.factories import create_order

    # The order number the basket will get is taken: placing fails half-way, and the
    # request's transaction is rolled back with whatever it queued.
    add_to_basket(client, clary, 2)
    basket_id = client.get(reverse("basket:summary")).context["basket"].id
    create_order(number=str(100000 + basket_id))
    fingerprint = ready_to_place(client, clary, quantity=2)
    OutgoingEmail.objects.all().delete()

    response = place_order(client, fingerprint)

    assert response["Location"] == reverse("checkout:preview")
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__contains="deliver_email").exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_batch_loses_no_email(worker_process, settings):
    # A mail server that takes a while over each message, so the kill lands mid-batch.
    smtp = SMTPServer(delay=0.2).start()
    email_url = f"smtp://127.0.0.1:{smtp.port}"
    subjects = [f"Message {n:02d}" for n in range(20)]
    for subject in subjects:
        send_mail(subject, "Body", "care@example.com", ["shopper@example.com"])
    try:
        first = worker_process(EMAIL_URL=email_url)
        wait_until(
            lambda: len(smtp.sink.messages) >= 5,
            timeout=60,
            message="the first worker delivered nothing",
        )
        first.kill()  # SIGKILL: no chance to finish what it was doing
        delivered_before = len(smtp.sink.messages)
        assert delivered_before < len(subjects)
        connection.close()

        # Restarted: the rest are delivered; an e-mail claimed by the killed worker is
        # reclaimed after SHOP_EMAIL_STALE_AFTER by the timed recovery job.
        worker_process(EMAIL_URL=email_url, SHOP_EMAIL_STALE_AFTER="1", SHOP_TEST_JOBS_EVERY="2")
        wait_until(
            lambda: not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists(),
            timeout=90,
            message="not every e-mail was delivered after the restart",
        )
    finally:
        smtp.stop()

    received = smtp.sink.subjects()
    assert sorted(set(received)) == subjects
    # At least once: only a message the mail server accepted in the instant of the kill,
    # before the worker could mark it sent, may arrive twice.
    assert len(received) - len(set(received)) <= 1
    print(f"killed after {delivered_before} of {len(subjects)}; received {len(received)}")


@pytest.mark.django_db
def test_a_stock_adjustment_that_crosses_the_threshold_is_saved_with_the_mail_server_down(
    admin_client, clary, smtp, settings
):
    settings.SHOP_STOCK_ALERT_EMAIL = "warehouse@example.com"
    record = clary.stockrecords.get()

    response = admin_client.post(
        reverse("stock-dashboard:stock-detail", args=[record.pk]),
        {"quantity": "-2", "reason": "damaged", "note": "Dropped"},
    )

    assert response.status_code == 302  # saved and redirected, not a 500
    record.refresh_from_db()
    assert record.num_in_stock == 4
    assert OutgoingEmail.objects.get().event == "LOW_STOCK"
