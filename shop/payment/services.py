"""Paying for orders: card payments through Stripe Checkout, refunds, and the limits and
time limits that keep unpaid orders from holding stock for ever.

Every change of an order's status goes through `EventHandler.change_status`
(shop/order/processing.py), the code staff use in the dashboard: paid (payment event,
sources debited, the "paid" e-mail), cancelled (stock released, the "cancelled" e-mail).
The card paths — the webhook, the thank-you page's check, the reconciliation job, the
shopper's "cancel" — all end in `checkout_session_apply`, under the row lock of the
order's `OrderPayment`, so whichever comes first makes the change and the others find
it made.
"""

import hashlib
import logging
import time
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from shop.mail.services import email_event
from shop.order.emails import order_message_context
from shop.order.processing import CANCELLED, PAID, SHIPPED, EventHandler, holds_stock
from shop.payment.models import OrderPayment, Refund, RefundLine, StripeEvent
from shop.reference import ensure_bank_transfer, ensure_card
from shop.stock.models import StockMovement
from shop.stock.services import stock_adjust, stock_release

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEventType = get_model("order", "PaymentEventType")
SourceType = get_model("payment", "SourceType")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")

PENDING = settings.OSCAR_INITIAL_ORDER_STATUS
CARD, BANK_TRANSFER = OrderPayment.Method.CARD, OrderPayment.Method.BANK_TRANSFER
ORDER_REFUNDED = "ORDER_REFUNDED"
ORDER_PAYMENT_REMINDER = "ORDER_PAYMENT_REMINDER"


class PaymentError(Exception):
    """A payment step that cannot be done; the message is for the shopper or staff."""


# --- Stripe ---------------------------------------------------------------------------


def card_payments_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def pence(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def source_type(method: str):
    return ensure_card(SourceType) if method == CARD else ensure_bank_transfer(SourceType)


# --- Placing orders -------------------------------------------------------------------


# The advisory locks' first key: "one shopper's checkouts, one at a time" (PostgreSQL's
# two-key locks do not meet the one-key lock of shop/pagecache).
SHOPPER_LOCK = 7_405_114


def _shopper_lock(*, email: str, client_address: str | None) -> None:
    """Until the transaction ends, this shopper's other checkouts wait here: two "place
    order"s of one shopper (two tabs, two baskets) count the open orders one after the
    other, not both before either is written. On SQLite the place-order transaction holds
    the database's write lock already."""
    if connection.vendor != "postgresql":
        return
    keys = {f"email:{email.lower()}"} | ({f"address:{client_address}"} if client_address else set())
    # One order for all (no two checkouts wait for each other in a circle), in one statement:
    # PostgreSQL takes a select list's locks left to right.
    ids = [
        int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big", signed=True)
        for key in sorted(keys)
    ]
    locks = ", ".join("pg_advisory_xact_lock(%s, %s)" for _ in ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {locks}", [part for id_ in ids for part in (SHOPPER_LOCK, id_)])


def checkout_limits_check(*, email: str, client_address: str | None) -> None:
    """Refuse a new order while this shopper (by e-mail or by address) already has
    SHOP_MAX_OPEN_UNPAID_ORDERS orders waiting for payment, each holding stock. Called in
    the transaction that places the order, which it makes wait for the shopper's others."""
    _shopper_lock(email=email, client_address=client_address)
    limit = settings.SHOP_MAX_OPEN_UNPAID_ORDERS
    by_email = Q(guest_email__iexact=email) | Q(user__email__iexact=email)
    by_address = Q(payment__client_address=client_address) if client_address else Q(pk=None)
    counts = Order.objects.filter(status=PENDING).aggregate(  # one query for both
        email=Count("pk", filter=by_email), address=Count("pk", filter=by_address)
    )
    if counts["email"] >= limit or counts["address"] >= limit:
        raise PaymentError(
            _(
                "You already have %(n)d orders waiting for payment. Please pay for one of them "
                "(or let it expire) before placing another: each one holds jars for you."
            )
            % {"n": limit}
        )


def order_payment_start(*, order, method: str, client_address: str | None) -> OrderPayment:
    """Record how the order will be paid, in the transaction that places it."""
    return OrderPayment.objects.create(order=order, method=method, client_address=client_address)


def checkout_session_open(*, order, success_url: str, cancel_url: str) -> str:
    """The URL of Stripe's payment page for this card order, its Checkout Session made
    once: a second call (a double click, a reload) answers the same session, and the
    idempotency key makes Stripe answer the same one even if our write was lost.

    Stripe answers a key again only for the same parameters, so the session's expiry is
    chosen and committed before Stripe is called, and a retry sends exactly the same
    request. Only when that expiry is too near for Stripe (earlier attempts failed) is a new
    one chosen, with a new key."""
    minimum = settings.SHOP_CARD_SESSION_MINUTES * 60
    with transaction.atomic():
        payment = _card_payment_locked(order)
        if payment.session_id:
            return payment.session_url
        if not payment.expires_at or payment.expires_at.timestamp() < time.time() + minimum:
            # Stripe accepts 30 minutes to 24 hours; a minute more for the request's trip.
            payment.expires_at = datetime.fromtimestamp(int(time.time()) + minimum + 60, tz=UTC)
            payment.save(update_fields=["expires_at"])
    expires_at = int(payment.expires_at.timestamp())
    with transaction.atomic():
        payment = _card_payment_locked(order)
        if payment.session_id:
            return payment.session_url
        order = payment.order
        lines = [
            {
                "price_data": {
                    "currency": order.currency.lower(),
                    "unit_amount": amount,
                    "product_data": {"name": name},
                },
                "quantity": quantity,
            }
            for name, amount, quantity in _stripe_lines(order)
        ]
        session = stripe_client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "line_items": lines,
                "customer_email": order.email,
                "client_reference_id": order.number,
                "metadata": {"order_number": order.number},
                "payment_intent_data": {"metadata": {"order_number": order.number}},
                "expires_at": expires_at,
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            options={"idempotency_key": f"checkout-session-{order.number}-{expires_at}"},
        )
        payment.session_id = session.id
        payment.session_url = session.url
        payment.save(update_fields=["session_id", "session_url"])
        return payment.session_url


def _card_payment_locked(order) -> OrderPayment:
    payment = (
        OrderPayment.objects.select_for_update()
        .select_related("order")
        .get(order=order, method=CARD)
    )
    if payment.order.status != PENDING:
        raise PaymentError(_("This order is no longer waiting for payment."))
    if payment.session_id and payment.expires_at <= timezone.now():
        raise PaymentError(_("The time to pay for this order has run out."))
    return payment


def _stripe_lines(order) -> list[tuple[str, int, int]]:
    """(name, unit amount in pence, quantity) from the order as stored: never from the browser."""
    items = []
    for line in order.lines.all():
        total = pence(line.line_price_incl_tax)
        if total % line.quantity == 0:
            items.append((line.title, total // line.quantity, line.quantity))
        else:  # a discount that does not divide into pence: the line as one item
            items.append((f"{line.quantity} × {line.title}", total, 1))
    if order.shipping_incl_tax:
        items.append((order.shipping_method, pence(order.shipping_incl_tax), 1))
    for surcharge in order.surcharges.all():
        items.append((surcharge.name, pence(surcharge.incl_tax), 1))
    if sum(amount * quantity for _name, amount, quantity in items) != pence(order.total_incl_tax):
        raise PaymentError(_("This order's total cannot be split into items for card payment."))
    return items


def _get(obj, key, default=None):
    try:
        value = obj[key]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


def checkout_session_apply(*, session, failed: bool = False) -> str:
    """Apply a Checkout Session's state (from a webhook, or asked of Stripe) to its order:
    paid → Paid; expired or failed → Cancelled, stock released. Returns what happened."""
    number = _get(_get(session, "metadata", {}), "order_number") or _get(
        session, "client_reference_id"
    )
    with transaction.atomic():
        payment = (
            OrderPayment.objects.select_for_update()
            .filter(order__number=number, method=CARD)
            .first()
        )
        if payment is None:
            logger.warning("Stripe session %s: no card order %r", _get(session, "id"), number)
            return "unknown order"
        if payment.session_id and payment.session_id != session["id"]:
            logger.warning("Stripe session %s is not order %s's", session["id"], number)
            if _get(session, "payment_status") == "paid" and not payment.flag:
                payment.flag = _("Stripe session %(id)s, not this order's, was paid: refund it") % {
                    "id": session["id"]
                }
                payment.save(update_fields=["flag"])
            return "other session"
        order = Order.objects.get(pk=payment.order_id)
        status, paid = _get(session, "status"), _get(session, "payment_status") == "paid"
        if status == "complete" and paid:
            return _card_paid(order, payment, session)
        if (failed or status == "expired") and order.status == PENDING:
            EventHandler().change_status(
                order,
                CANCELLED,
                note_msg=_("Card payment failed") if failed else _("Card payment session expired"),
                expire_payment_page=False,
            )
            return "cancelled"
        return "no change"


def _card_paid(order, payment, session) -> str:
    if order.status in (PAID, SHIPPED):
        return "already paid"
    amount, currency = _get(session, "amount_total"), _get(session, "currency", "")
    problem = None
    if amount != pence(order.total_incl_tax) or currency.lower() != order.currency.lower():
        problem = _("Stripe took %(amount)s %(currency)s for an order of %(total)s %(ours)s") % {
            "amount": Decimal(amount or 0) / 100,
            "currency": currency.upper(),
            "total": order.total_incl_tax,
            "ours": order.currency,
        }
    elif order.status != PENDING:
        problem = _("Stripe took the payment for an order that is %(status)s: refund it") % {
            "status": order.status
        }
    if problem:
        if not payment.flag:
            payment.flag = problem
            payment.save(update_fields=["flag"])
            OrderNote.objects.create(
                order=order, note_type="System", message=_("Check this payment: ") + problem
            )
            logger.error("Order %s flagged: %s", order.number, problem)
        return "flagged"
    payment.payment_intent = _get(session, "payment_intent", "")
    payment.save(update_fields=["payment_intent"])
    EventHandler().change_status(
        order, PAID, note_msg=_("Paid by card (Stripe)"), reference=payment.payment_intent
    )
    return "paid"


SESSION_EVENTS = {
    "checkout.session.completed": False,
    "checkout.session.async_payment_succeeded": False,
    "checkout.session.async_payment_failed": True,
    "checkout.session.expired": False,
}


def stripe_event_handle(*, event) -> str:
    """A verified webhook event, processed once: its id is stored in the same transaction,
    so a duplicate (a retry, a replay, three at once) finds it stored and changes nothing."""
    obj = event["data"]["object"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = StripeEvent.objects.create(
                    event_id=event["id"],
                    type=event["type"],
                    order_number=_get(_get(obj, "metadata", {}), "order_number", "")[:128],
                )
        except IntegrityError:
            logger.info("Stripe event %s received again: nothing to do", event["id"])
            return "duplicate"
        if event["type"] in SESSION_EVENTS:
            result = checkout_session_apply(session=obj, failed=SESSION_EVENTS[event["type"]])
        else:
            logger.info("Stripe event %s of type %s ignored", event["id"], event["type"])
            result = "ignored"
        StripeEvent.objects.filter(pk=stored.pk).update(result=result)
    return result


def checkout_session_sync(*, order, expire: bool = False) -> str:
    """Ask Stripe for the order's session and apply it (a webhook may have been lost).
    With `expire`, a session still open is expired first (the shopper cancelled, staff
    cancelled, or its time is up), so that it can no longer be paid once the order is
    cancelled; one paid meanwhile is applied (on a cancelled order: flagged "refund it")."""
    payment = OrderPayment.objects.filter(order=order, method=CARD).first()
    if payment is None or not payment.session_id:
        if expire and payment is not None:  # never sent to Stripe: nothing to expire there
            with transaction.atomic():
                locked = Order.objects.get(pk=order.pk)
                if locked.status == PENDING:
                    EventHandler().change_status(
                        locked, CANCELLED, note_msg=_("Card payment not started")
                    )
                    return "cancelled"
        return "no session"
    sessions = stripe_client().v1.checkout.sessions
    session = sessions.retrieve(payment.session_id)
    if expire and session.status == "open":
        try:
            session = sessions.expire(payment.session_id)
        except stripe.InvalidRequestError:
            session = sessions.retrieve(payment.session_id)  # paid meanwhile
    return checkout_session_apply(session=session)


def basket_restore(*, order, basket) -> bool:
    """Put a cancelled card order's jars back in the shopper's basket, once."""
    with transaction.atomic():
        payment = OrderPayment.objects.select_for_update().filter(order=order).first()
        if payment is None or payment.basket_restored or order.status != CANCELLED:
            return False
        for line in order.lines.select_related("product", "stockrecord"):
            if line.product_id and line.stockrecord_id:
                basket.add_product(line.product, line.quantity)
        payment.basket_restored = True
        payment.save(update_fields=["basket_restored"])
    return True


# --- Refunds --------------------------------------------------------------------------


def order_refund(
    *,
    order,
    lines: dict[int, int] | None = None,
    restock: bool,
    user=None,
    reference: str | None = None,
    key: str,
) -> Refund:
    """Give money back for a paid order: everything not yet refunded (`lines=None`,
    delivery included), or `lines` ({order line id: jars}) at the price paid.

    Card orders are refunded through Stripe (the idempotency key derives from `key`); bank
    transfers are recorded with staff's bank `reference`. Jars not yet shipped go back
    to the shelf (their hold is released) whatever `restock` says; shipped jars are added
    back to stock (a "returned" movement) only with `restock`. A second call with the
    same `key` returns the first refund and changes nothing.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        done = Refund.objects.filter(key=key).first()
        if done is not None:
            if done.order_id != locked.pk:
                raise PaymentError(_("This refund key belongs to another order."))
            return done
        if not locked.sources.filter(amount_debited__gt=0).exists():
            raise PaymentError(_("This order has not been paid: there is nothing to refund."))
        payment = OrderPayment.objects.filter(order=locked).first()
        method = payment.method if payment else BANK_TRANSFER
        order_lines = {
            line.pk: line
            for line in locked.lines.select_related(
                "stockrecord", "product__parent__product_class", "product__product_class"
            )
        }
        refunded = dict(
            RefundLine.objects.filter(refund__order=locked)
            .values_list("line")
            .annotate(n=Sum("quantity"))
        )
        already = locked.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        if lines is None:
            quantities = {
                pk: line.quantity - refunded.get(pk, 0)
                for pk, line in order_lines.items()
                if line.quantity > refunded.get(pk, 0)
            }
            amount = locked.total_incl_tax - already
        else:
            quantities = _refund_quantities(lines, order_lines, refunded)
            amount = sum(
                (
                    _line_amount(order_lines[pk], refunded.get(pk, 0), quantity)
                    for pk, quantity in quantities.items()
                ),
                Decimal("0.00"),
            )
        if amount <= 0:
            raise PaymentError(_("Everything in this order has already been refunded."))
        if method == CARD:
            reference = _stripe_refund(payment, amount, key, locked)
        elif not (reference or "").strip():
            raise PaymentError(_("Give the bank reference of the transfer you made."))
        refund = Refund.objects.create(
            order=locked,
            key=key,
            amount=amount,
            method=method,
            reference=reference.strip(),
            restock=restock,
            user=user if user is not None and user.is_authenticated else None,
        )
        RefundLine.objects.bulk_create(
            RefundLine(refund=refund, line_id=pk, quantity=quantity)
            for pk, quantity in quantities.items()
        )
        _refund_stock(refund, order_lines, quantities, user)
        for source in locked.sources.all():
            source.refund(amount, reference=refund.reference)
            break
        handler = EventHandler(user=user)
        handler.create_payment_event(
            locked,
            PaymentEventType.objects.get_or_create(name=_("Refunded"))[0],
            amount,
            [order_lines[pk] for pk in quantities],
            list(quantities.values()),
            reference=refund.reference,
        )
        handler.create_note(
            locked,
            _("Refunded %(amount)s (%(reference)s)")
            % {"amount": amount, "reference": refund.reference},
        )
        with email_event(ORDER_REFUNDED, f"{locked.number}:{refund.pk}"):
            OrderDispatcher().send_order_status_email(
                locked, ORDER_REFUNDED, {**order_message_context(locked), "refund": refund}
            )
    return refund


def _refund_quantities(lines, order_lines, refunded) -> dict[int, int]:
    quantities = {}
    for pk, quantity in lines.items():
        line = order_lines.get(int(pk))
        if line is None:
            raise PaymentError(_("That line is not in this order."))
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise PaymentError(_("A number of jars to refund is a whole number."))
        left = line.quantity - refunded.get(line.pk, 0)
        if quantity > left:
            raise PaymentError(
                _("%(title)s: only %(n)d left to refund.") % {"title": line.title, "n": left}
            )
        if quantity:
            quantities[line.pk] = quantity
    if not quantities:
        raise PaymentError(_("Choose the jars to refund."))
    return quantities


def _line_amount(line, before: int, quantity: int) -> Decimal:
    """What `quantity` more jars of the line cost; the line's refunds add up to its price."""
    total = line.line_price_incl_tax
    cent = Decimal("0.01")

    def upto(n):
        return (total * n / line.quantity).quantize(cent, rounding=ROUND_HALF_UP)

    return upto(before + quantity) - upto(before)


def _stripe_refund(payment, amount: Decimal, key: str, order) -> str:
    if not payment.payment_intent:
        raise PaymentError(_("Stripe has no payment for this order to refund."))
    try:
        refund = stripe_client().v1.refunds.create(
            params={
                "payment_intent": payment.payment_intent,
                "amount": pence(amount),
                "metadata": {"order_number": order.number},
            },
            options={"idempotency_key": f"refund-{key}"},
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a refund of order %s: %s", order.number, exc)
        raise PaymentError(
            _("Stripe refused the refund: %(message)s") % {"message": exc.user_message or str(exc)}
        ) from exc
    return refund.id


def _refund_stock(refund, order_lines, quantities, user) -> None:
    for pk, quantity in sorted(quantities.items()):
        line = order_lines[pk]
        held = line.num_allocated if holds_stock(line) else 0
        released = min(quantity, held or 0)
        if released:
            stock_release(stockrecord=line.stockrecord, quantity=released)
            line.num_allocated -= released
            line.allocation_cancelled = line.num_allocated == 0
            line.save(update_fields=["num_allocated", "allocation_cancelled"])
        returned = quantity - released
        if refund.restock and returned and line.stockrecord_id:
            stock_adjust(
                stockrecord=line.stockrecord,
                quantity=returned,
                reason=StockMovement.Reason.RETURNED,
                note=_("Refund %(ref)s of order %(number)s")
                % {"ref": refund.reference, "number": refund.order.number},
                user=user,
            )


# --- Holds that end -------------------------------------------------------------------


def bank_transfer_orders():
    """Orders waiting for a bank transfer (also those placed before OrderPayment existed)."""
    return Order.objects.filter(status=PENDING).filter(
        Q(payment__method=BANK_TRANSFER)
        | Q(payment__isnull=True, sources__source_type__code="bank-transfer")
    )


def order_payment_remind(*, order) -> bool:
    """E-mail the shopper the bank details again, once per order."""
    with transaction.atomic():
        payment, _created = OrderPayment.objects.select_for_update().get_or_create(
            order=order, defaults={"method": BANK_TRANSFER}
        )
        locked = Order.objects.get(pk=order.pk)
        if payment.reminded_at or locked.status != PENDING:
            return False
        payment.reminded_at = timezone.now()
        payment.save(update_fields=["reminded_at"])
        context = {
            **order_message_context(locked),
            "expire_days": settings.SHOP_BANK_TRANSFER_EXPIRE_DAYS,
            "expires_on": locked.date_placed
            + timedelta(days=settings.SHOP_BANK_TRANSFER_EXPIRE_DAYS),
        }
        with email_event(ORDER_PAYMENT_REMINDER, locked.number):
            OrderDispatcher().send_order_status_email(locked, ORDER_PAYMENT_REMINDER, context)
    return True


def order_expire(*, order, note: str) -> bool:
    """Cancel an unpaid order (its stock released, the shopper e-mailed), unless it moved on."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != PENDING:
            return False
        EventHandler().change_status(locked, CANCELLED, note_msg=note)
    return True
