"""Staff move orders along the pipeline in Oscar's dashboard."""

import pytest
from django.db.models import Sum
from django.urls import reverse
from oscar.core.loading import get_model

from shop.stock.guard import stock_levels_writable
from tests.checkout.helpers import placed_order

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
ShippingEventType = get_model("order", "ShippingEventType")
PaymentEventType = get_model("order", "PaymentEventType")

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(clary, sent_emails):
    order = placed_order(clary, quantity=2)  # in the shopper's own browser
    sent_emails().clear()  # the order's confirmation
    return order


@pytest.fixture
def staff(client, django_user_model):
    # Full staff. (Oscar 4's dashboard gives other staff only what their
    # permissions allow; roles come with stock management.)
    user = django_user_model.objects.create_superuser(
        "staff", "staff@example.com", "pw-for-tests-only"
    )
    client.force_login(user)
    return client


def change_status(client, order, new_status, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("dashboard:order-detail", kwargs={"number": order.number}),
            {"order_action": "change_order_status", "new_status": new_status},
            follow=True,
        )


def stock(clary):
    record = StockRecord.objects.get(product=clary)
    return record.num_in_stock, record.num_allocated


def test_staff_finds_the_order(staff, order):
    response = staff.get(reverse("dashboard:order-list"), {"order_number": order.number})

    detail = reverse("dashboard:order-detail", kwargs={"number": order.number})
    assert response["Location"] == detail
    html = staff.get(detail).content.decode()
    assert "guest@example.com" in html
    assert "Pending payment" in html


def test_paid_then_shipped(staff, order, clary, django_capture_on_commit_callbacks, sent_emails):
    assert stock(clary) == (4, 2)

    change_status(staff, order, "Paid", django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == "Paid"
    assert [e.event_type.name for e in order.payment_events.all()] == ["Paid by bank transfer"]
    source = order.sources.get()
    assert source.amount_debited == order.total_incl_tax
    assert stock(clary) == (4, 2)
    assert len(sent_emails()) == 1
    assert sent_emails()[0].to == ["guest@example.com"]
    assert sent_emails()[0].subject == f"Payment received for order {order.number}"

    change_status(staff, order, "Shipped", django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == "Shipped"
    assert stock(clary) == (2, 0)  # the allocation was consumed
    shipped = StockRecord.objects.get(product=clary).movements.first()
    assert (shipped.reason, shipped.quantity) == ("shipped", -2)
    assert shipped.order_line == order.lines.get()
    assert shipped.user.username == "staff"
    assert [line.status for line in order.lines.all()] == ["Shipped"]
    assert [e.event_type.name for e in order.shipping_events.all()] == ["Shipped"]
    assert len(sent_emails()) == 2
    assert sent_emails()[1].subject == f"Your order {order.number} is on its way"
    assert "1 High Street" in sent_emails()[1].body


@pytest.mark.parametrize("paid_first", [False, True])
def test_cancelling_releases_the_stock(
    staff, order, clary, paid_first, django_capture_on_commit_callbacks
):
    if paid_first:
        change_status(staff, order, "Paid", django_capture_on_commit_callbacks)

    change_status(staff, order, "Cancelled", django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert stock(clary) == (4, 0)
    assert StockRecord.objects.get(product=clary).movements.count() == 1  # only the receipt
    assert all(line.allocation_cancelled for line in order.lines.all())


@pytest.mark.parametrize(
    ("before", "refused"),
    [
        ([], "Shipped"),
        ([], "Pending payment"),
        (["Paid", "Shipped"], "Cancelled"),
        (["Cancelled"], "Paid"),
        ([], "Lost in the post"),
    ],
)
def test_invalid_moves_are_refused(
    staff, order, clary, before, refused, django_capture_on_commit_callbacks, sent_emails
):
    for status in before:
        change_status(staff, order, status, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    status_before, stock_before, mails_before = order.status, stock(clary), len(sent_emails())

    response = change_status(staff, order, refused, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == status_before
    assert stock(clary) == stock_before
    assert len(sent_emails()) == mails_before
    assert "Invalid form submission" in response.content.decode()


def test_shipping_twice_consumes_once(staff, order, clary, django_capture_on_commit_callbacks):
    change_status(staff, order, "Paid", django_capture_on_commit_callbacks)
    change_status(staff, order, "Shipped", django_capture_on_commit_callbacks)
    change_status(staff, order, "Shipped", django_capture_on_commit_callbacks)

    assert stock(clary) == (2, 0)


def test_a_stock_problem_is_a_message_not_an_error(
    staff, order, clary, django_capture_on_commit_callbacks
):
    change_status(staff, order, "Paid", django_capture_on_commit_callbacks)
    with stock_levels_writable():  # numbers edited by hand, past the guard
        StockRecord.objects.filter(product=clary).update(num_allocated=0)

    response = change_status(staff, order, "Shipped", django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "the stock numbers do not allow it" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "Paid"


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_non_staff_reach_no_dashboard_page(client, order, who, django_user_model):
    if who == "customer":
        user = django_user_model.objects.create_user("c", "c@example.com", "pw-for-tests-only")
        client.force_login(user)
    urls = [
        reverse("dashboard:index"),
        reverse("dashboard:order-list"),
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    response = client.post(urls[2], {"order_action": "change_order_status", "new_status": "Paid"})
    assert response.status_code in (302, 403)
    order.refresh_from_db()
    assert order.status == "Pending payment"


def line_state(order, clary):
    line = order.lines.get()
    record = StockRecord.objects.get(product=clary)
    return (
        line.status,
        line.num_allocated,
        line.allocation_cancelled,
        record.num_in_stock,
        record.num_allocated,
        record.movements.aggregate(total=Sum("quantity"))["total"],
    )


def line_action(client, order, action, **fields):
    """Oscar's order page, acting on the order's (one) line."""
    line = order.lines.get()
    return client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {
            "line_action": action,
            "selected_line": [line.pk],
            f"selected_line_qty_{line.pk}": line.quantity,
            **fields,
        },
        follow=True,
    )


@pytest.mark.parametrize(
    ("before", "new_line_status"),
    [([], "Paid"), ([], "Cancelled"), (["Paid"], "Shipped"), (["Paid"], "Cancelled")],
)
def test_a_line_does_not_change_status_on_its_own(
    staff, order, clary, before, new_line_status, django_capture_on_commit_callbacks
):
    for status in before:
        change_status(staff, order, status, django_capture_on_commit_callbacks)
    state_before, notes_before = line_state(order, clary), order.notes.count()

    response = line_action(staff, order, "change_line_statuses", new_status=new_line_status)

    assert response.status_code == 200
    assert "An order&#x27;s lines move with the order" in response.content.decode()
    assert line_state(order, clary) == state_before
    order.refresh_from_db()
    assert order.status == (before or ["Pending payment"])[-1]
    assert order.notes.count() == notes_before


def test_the_order_page_offers_no_line_actions(staff, order):
    html = staff.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    html = html.content.decode()

    assert 'name="line_action"' not in html
    assert "With selected lines" not in html
    assert "Change line status" not in html
    assert "create_shipping_event" not in html
    assert "create_payment_event" not in html
    assert 'id="order_status_form"' in html  # the order's status is changed here


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("create_shipping_event", {"shipping_event_type": "shipped", "reference": "X1"}),
        ("create_payment_event", {"payment_event_type": "paid", "amount": "1.00"}),
    ],
)
def test_events_for_lines_are_refused(
    staff, order, clary, action, fields, django_capture_on_commit_callbacks
):
    change_status(staff, order, "Paid", django_capture_on_commit_callbacks)
    ShippingEventType.objects.get_or_create(code="shipped", defaults={"name": "Shipped"})
    PaymentEventType.objects.get_or_create(code="paid", defaults={"name": "Paid"})
    state_before = line_state(order, clary)
    events_before = (order.shipping_events.count(), order.payment_events.count())

    response = line_action(staff, order, action, **fields)

    assert "An order&#x27;s lines move with the order" in response.content.decode()
    assert line_state(order, clary) == state_before
    assert (order.shipping_events.count(), order.payment_events.count()) == events_before


def test_a_payment_event_for_the_order_is_refused(staff, order):
    PaymentEventType.objects.get_or_create(code="paid", defaults={"name": "Paid"})

    response = staff.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "create_order_payment_event", "amount": "999.00"},
        follow=True,
    )

    assert "Payments are recorded by changing the order&#x27;s status" in response.content.decode()
    assert not order.payment_events.exists()
    order.refresh_from_db()
    assert order.status == "Pending payment"


@pytest.mark.parametrize(
    ("path", "line_after"),
    [
        (["Paid"], ("Paid", 2, False, 4, 2, 4)),
        (["Cancelled"], ("Cancelled", 0, True, 4, 0, 4)),
        (["Paid", "Shipped"], ("Shipped", 0, False, 2, 0, 2)),
        (["Paid", "Cancelled"], ("Cancelled", 0, True, 4, 0, 4)),
    ],
)
def test_the_order_moves_its_lines_with_their_stock(
    staff, order, clary, path, line_after, django_capture_on_commit_callbacks
):
    assert line_state(order, clary) == ("Pending payment", 2, False, 4, 2, 4)

    for status in path:
        change_status(staff, order, status, django_capture_on_commit_callbacks)

    assert line_state(order, clary) == line_after
