"""The housekeeping jobs and the daily low-stock digest."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.contrib.sites.models import Site
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory

from shop.job.jobs import baskets_clear_abandoned, sessions_clear, task_results_prune
from shop.mail.models import OutgoingEmail
from shop.sites import site_sync
from shop.stock.alerts import low_stock_digest
from tests.factories import create_cream

Basket = get_model("basket", "Basket")
pytestmark = pytest.mark.django_db


def test_expired_sessions_are_cleared():
    for expiry in (timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)):
        session = SessionStore()
        session["basket"] = 1
        session.create()
        Session.objects.filter(pk=session.session_key).update(expire_date=expiry)

    sessions_clear()

    assert Session.objects.count() == 1
    assert Session.objects.get().expire_date > timezone.now()


def test_only_guests_open_baskets_past_their_cookie_are_deleted(settings):
    long_ago = timezone.now() - timedelta(
        seconds=settings.OSCAR_BASKET_COOKIE_LIFETIME + settings.SHOP_ABANDONED_BASKET_GRACE + 60
    )
    abandoned = Basket.objects.create()
    recent = Basket.objects.create()
    customers = Basket.objects.create(owner=UserFactory())
    submitted = Basket.objects.create(status=Basket.SUBMITTED)
    Basket.objects.filter(pk__in=[abandoned.pk, customers.pk, submitted.pk]).update(
        date_created=long_ago
    )

    baskets_clear_abandoned()

    assert set(Basket.objects.values_list("pk", flat=True)) == {
        recent.pk,
        customers.pk,
        submitted.pk,
    }


def test_the_daily_digest_lists_low_and_sold_out_variants_once_a_day(media, settings, sent_emails):
    settings.SHOP_STOCK_ALERT_EMAIL = "warehouse@example.com"
    create_cream((("Lavender", 40), ("Clary Sage", 4), ("Jasmine", 0)), images=False)

    assert low_stock_digest() == "2 variant(s) low"
    low_stock_digest()  # run again the same day (a retried job): no second e-mail

    digests = [m for m in sent_emails() if m.subject.startswith("Stock digest")]
    assert len(digests) == 1
    assert digests[0].to == ["warehouse@example.com"]
    assert "Clary Sage" in digests[0].body
    assert "Jasmine" in digests[0].body
    assert "Lavender" not in digests[0].body
    assert OutgoingEmail.objects.filter(event="LOW_STOCK_DIGEST").count() == 1


def test_nothing_low_no_digest(media, settings):
    create_cream((("Lavender", 40),), images=False)

    assert low_stock_digest() == "nothing low"
    assert not OutgoingEmail.objects.exists()


def test_old_finished_task_records_are_pruned(settings):
    from django.core.mail import send_mail

    from tests.conftest import run_ready_tasks

    send_mail("Hello", "Body", "care@example.com", ["a@example.com"])
    run_ready_tasks()
    send_mail("Hello again", "Body", "care@example.com", ["a@example.com"])  # still waiting
    DBTaskResult.objects.filter(status="SUCCESSFUL").update(
        finished_at=timezone.now() - timedelta(days=settings.SHOP_TASK_RESULTS_DAYS + 1)
    )

    task_results_prune()

    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]


def test_the_site_domain_for_emailed_links_comes_from_the_settings(settings):
    assert Site.objects.get_current().domain == settings.SHOP_DOMAIN  # set by migrate

    settings.SHOP_DOMAIN = "shop.example.com"
    site_sync()

    assert Site.objects.get_current().domain == "shop.example.com"
