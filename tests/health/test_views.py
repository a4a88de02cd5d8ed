from datetime import timedelta

import pytest
import structlog.testing
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from oscar.test.factories import create_order

from shop.job.models import WorkerHeartbeat
from shop.job.tasks import run_job


def heartbeat(seconds_ago: float = 0) -> None:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=seen, seen_at=seen)


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_with_the_database_and_a_worker_heard_from(
    client, django_assert_max_num_queries
):
    heartbeat(seconds_ago=1)
    with django_assert_max_num_queries(3):
        response = client.get("/readyz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ready"
    assert report["database"] is True
    assert report["cache"] is True
    assert report["tasks"] == {"depth": 0, "oldest_age": 0.0}
    assert 0 <= report["worker_age"] < 5
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_not_ready_without_a_worker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker_age"] is None


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_worker_fell_silent(client, settings):
    heartbeat(seconds_ago=settings.SHOP_READY_WORKER_SILENCE + 1)
    assert client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_readyz_reports_the_queue_and_is_not_ready_when_a_task_waits_too_long(client, settings):
    heartbeat()
    run_job.enqueue("email-recover", timezone.now().isoformat())
    # Scheduled for later: not waiting yet.
    run_job.using(run_after=timezone.now() + timedelta(hours=1)).enqueue("x", "y")
    report = client.get("/readyz").json()
    assert report["tasks"]["depth"] == 1
    assert report["status"] == "ready"

    DBTaskResult.objects.filter(run_after=get_date_max()).update(
        enqueued_at=timezone.now() - timedelta(seconds=settings.SHOP_READY_TASK_AGE + 60)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["tasks"]["oldest_age"] > settings.SHOP_READY_TASK_AGE


@pytest.mark.django_db
def test_metrics_count_the_shops_numbers_for_allowed_addresses(client):
    create_order()
    client.get("/")  # a storefront page: the page cache says what it did
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "shop_orders_placed_total 1.0" in text
    assert 'shop_emails{status="failed"} 0.0' in text
    assert "shop_jars_held_unpaid" in text
    assert "shop_page_cache_responses_total" in text
    assert "django_http_requests_latency_seconds_by_view_method" in text


@pytest.mark.django_db
def test_metrics_are_hidden_from_other_addresses(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.SHOP_METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_database_that_cannot_be_reached_answers_503_with_retry_after(client, settings):
    """The real connection pointed at a database that is not there, as in an outage."""
    client.raise_request_exception = False
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        with structlog.testing.capture_logs() as logs:
            response = client.get("/basket/")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    # The request's log line says what the shopper got, not django-structlog's 500.
    assert [entry["code"] for entry in logs if entry["event"] == "request_failed"] == [503]
    assert response["Retry-After"] == str(settings.SHOP_RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert "Back in a moment" in response.content.decode()
