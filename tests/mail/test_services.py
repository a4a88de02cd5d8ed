"""The outbox: queued in the caller's transaction, delivered by the worker, retried,
never sent twice for one key, failed e-mails sent again by staff."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shop.mail.models import OutgoingEmail
from shop.mail.services import email_event, emails_recover
from tests.conftest import run_ready_tasks
from tests.mail.conftest import make_due

pytestmark = pytest.mark.django_db
Status = OutgoingEmail.Status


def send(to="shopper@example.com", subject="Hello"):
    return send_mail(subject, "Body", "care@example.com", [to])


def test_send_mail_queues_and_the_worker_delivers():
    send()

    email = OutgoingEmail.objects.get()
    assert email.status == Status.QUEUED
    assert mail.outbox == []  # nothing left the process while "sending"

    assert run_ready_tasks() == 1

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_a_rolled_back_change_queues_nothing():
    def change_that_fails():
        with transaction.atomic():
            send()
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_same_event_for_the_same_object_and_recipient_is_queued_once():
    for _ in range(3):  # a webhook replayed, a double click, a retried task
        with email_event("ORDER_PAID", "100001"):
            send()
    with email_event("ORDER_PAID", "100001"):
        send(to="someone-else@example.com")
    send()  # no event: every call is its own e-mail
    send()

    assert OutgoingEmail.objects.filter(event="ORDER_PAID").count() == 2
    assert OutgoingEmail.objects.count() == 4
    run_ready_tasks()
    assert len(mail.outbox) == 4


def test_a_second_delivery_of_a_sent_email_sends_nothing():
    from shop.mail.tasks import deliver_email

    send()
    run_ready_tasks()
    deliver_email.enqueue(OutgoingEmail.objects.get().pk)  # e.g. a retried task

    run_ready_tasks()

    assert len(mail.outbox) == 1


def test_a_failed_delivery_is_retried_with_backoff_then_marked_failed(smtp, settings):
    send()

    run_ready_tasks()  # the mail server is down

    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.QUEUED, 1)
    assert "Connection refused" in email.last_error or "Errno" in email.last_error
    wait = email.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert run_ready_tasks() == 0  # not due yet

    for tries in range(2, len(settings.SHOP_EMAIL_RETRY_DELAYS) + 2):
        make_due()
        run_ready_tasks()
        email.refresh_from_db()
        assert email.attempts == tries
    assert email.status == Status.FAILED
    assert email.next_attempt_at is None
    make_due()
    assert run_ready_tasks() == 0  # given up: nothing more is scheduled


def test_delivered_once_the_mail_server_is_back(smtp):
    with email_event("ORDER_PLACED", "100042"):
        send(subject="Your order 100042")
    run_ready_tasks()  # down
    assert smtp.sink.messages == []

    smtp.start()
    make_due()
    run_ready_tasks()
    make_due()
    run_ready_tasks()

    assert smtp.sink.subjects() == ["Your order 100042"]
    assert OutgoingEmail.objects.get().status == Status.SENT


def test_an_interrupted_delivery_is_recovered(settings):
    send()
    email = OutgoingEmail.objects.get()
    # A worker claimed it and was killed while talking to the mail server.
    DBTaskResult.objects.update(status="RUNNING")
    OutgoingEmail.objects.update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=11)
    )

    assert emails_recover() == 1
    run_ready_tasks()

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert len(mail.outbox) == 1
    assert emails_recover() == 0


def test_a_recent_delivery_in_progress_is_left_alone():
    send()
    OutgoingEmail.objects.update(status=Status.SENDING, claimed_at=timezone.now())

    assert emails_recover() == 0


def test_attachments_are_refused_rather_than_dropped():
    message = EmailMessage("Invoice", "Body", "care@example.com", ["a@example.com"])
    message.attach("invoice.txt", "data", "text/plain")

    with pytest.raises(ValueError, match="attachments"):
        message.send()


@pytest.fixture
def failed_email(smtp, settings):
    settings.SHOP_EMAIL_RETRY_DELAYS = []
    send(subject="Your order 100007 is on its way")
    run_ready_tasks()
    email = OutgoingEmail.objects.get()
    assert email.status == Status.FAILED
    return email


def test_staff_see_failed_emails_and_send_them_again(admin_client, failed_email, smtp):
    page = admin_client.get(reverse("mail-dashboard:email-list"), {"status": "failed"})
    assert "Your order 100007 is on its way" in page.content.decode()
    detail = reverse("mail-dashboard:email-detail", args=[failed_email.pk])
    assert "Send again" in admin_client.get(detail).content.decode()

    resend = reverse("mail-dashboard:email-resend", args=[failed_email.pk])
    assert admin_client.get(resend).status_code == 405  # no change on GET
    smtp.start()
    response = admin_client.post(resend, follow=True)
    admin_client.post(resend)  # a double click queues it once

    assert "queued again" in response.content.decode()
    run_ready_tasks()
    assert smtp.sink.subjects() == ["Your order 100007 is on its way"]
    failed_email.refresh_from_db()
    assert failed_email.status == Status.SENT


def test_only_staff_with_the_permissions_see_and_send_again(
    client, django_user_model, failed_email
):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("mail-dashboard:email-list")).status_code in (302, 403)

    clerk.user_permissions.add(Permission.objects.get(codename="view_outgoingemail"))
    assert client.get(reverse("mail-dashboard:email-list")).status_code == 200
    response = client.post(reverse("mail-dashboard:email-resend", args=[failed_email.pk]))

    assert response.status_code in (302, 403)
    failed_email.refresh_from_db()
    assert failed_email.status == Status.FAILED


def test_customers_do_not_see_the_outbox(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("c", "c@example.com", "pw"))

    response = client.get(reverse("mail-dashboard:email-list"))

    assert response.status_code in (302, 403)


def test_password_reset_and_registration_emails_are_queued_with_the_shops_domain(
    client, django_user_model, settings, sent_emails
):
    settings.SHOP_DOMAIN = "shop.example.com"
    from shop.sites import site_sync

    site_sync()
    django_user_model.objects.create_user("known", "known@example.com", "pw-for-tests-only")

    client.post(reverse("password-reset"), {"email": "known@example.com"})
    client.post(
        reverse("customer:register"),
        {
            "email": "new@example.com",
            "password1": "a-long-enough-password-9",
            "password2": "a-long-enough-password-9",
        },
    )

    assert OutgoingEmail.objects.filter(status=Status.QUEUED).count() == 2
    by_recipient = {tuple(m.to): m for m in sent_emails()}
    assert "://shop.example.com/" in by_recipient[("known@example.com",)].body
    assert (
        "://shop.example.com/accounts/register/confirm/" in by_recipient[("new@example.com",)].body
    )
