"""The shop's outgoing e-mail: an outbox written in the caller's transaction, delivered by
the task worker.

Every e-mail the shop sends, whoever sends it (Oscar's dispatchers, `send_mail`, the stock
alerts), goes through `EMAIL_BACKEND = "shop.mail.backends.TaskQueueBackend"`, which calls
`email_enqueue`. So a request never talks to the mail server: it writes a row and a task in
its own transaction (a rolled-back change sends nothing, a committed one always sends), and
the worker delivers it with `SHOP_EMAIL_DELIVERY_BACKEND` (the real SMTP server).

Delivery is at least once: a worker killed after the mail server accepted a message but
before the row was marked sent delivers it again when `emails_recover` reclaims it. Every
other path sends a key once: retries only follow failures, and a delivery first claims
its row with one conditional UPDATE.
"""

import hashlib
import logging
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from shop.mail.models import OutgoingEmail
from shop.retry import attempt_failed

logger = logging.getLogger(__name__)

_event: ContextVar[tuple[str, str] | None] = ContextVar("shop_email_event", default=None)


@contextmanager
def email_event(event: str, obj) -> None:
    """E-mails sent inside this block are keyed by event, object and recipient, so the same
    event for the same object and recipient is queued (and sent) once, however often the
    code that causes it runs: a retried task, a webhook delivered twice, a double click."""
    token = _event.set((event, str(obj)))
    try:
        yield
    finally:
        _event.reset(token)


def _key(message, event: str, obj: str | None) -> str:
    if obj is None:
        return f"{event or 'email'}:{uuid.uuid4()}"
    recipients = ",".join(sorted(message.recipients()))
    key = f"{event}:{obj}:{recipients}"
    if len(key) > 255:
        key = f"{event[:64]}:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def email_enqueue(*, message, key: str | None = None, event: str = "") -> OutgoingEmail | None:
    """Put `message` in the outbox and queue its delivery, in the caller's transaction.

    Returns the new row, or None when an e-mail with the same key was queued before.
    """
    if message.attachments:
        raise ValueError("E-mails with attachments cannot be queued (the shop sends none).")
    if key is None:
        context = _event.get()
        event, obj = context if context else (event, None)
        key = _key(message, event, obj)
    alternatives = getattr(message, "alternatives", [])
    html = next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
    values = {
        "key": key,
        "event": event,
        "subject": message.subject,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "body": message.body,
        "html_body": html,
        "next_attempt_at": timezone.now(),
    }
    # The row and its task together: in the caller's transaction when there is one (no
    # savepoint of its own), else in one of their own.
    with transaction.atomic(savepoint=False):
        try:
            # A savepoint, so that a key queued before (or by a concurrent request) is
            # refused by the unique index without spoiling the caller's transaction.
            with transaction.atomic():
                email = OutgoingEmail.objects.create(**values)
        except IntegrityError:
            logger.info("E-mail %s was queued before; not queued again", key)
            return None
        _schedule(email.pk)
    return email


def _schedule(email_id: int, *, at=None) -> None:
    from shop.mail.tasks import deliver_email

    (deliver_email.using(run_after=at) if at else deliver_email).enqueue(email_id)


def _as_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def email_deliver(*, email_id: int) -> str:
    """Send one queued e-mail through the real mail server (the worker's job).

    The row is claimed first (queued → sending, one conditional UPDATE), so two
    deliveries of the same e-mail never both send. A failure is retried after the next
    delay of SHOP_EMAIL_RETRY_DELAYS, then the e-mail is marked failed for staff.
    """
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        connection = get_connection(settings.SHOP_EMAIL_DELIVERY_BACKEND, fail_silently=False)
        connection.send_messages([_as_message(email)])
    except Exception as exc:  # any failure of the mail server or the network
        return _delivery_failed(email, exc)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        claimed_at=None,
        last_error="",
    )
    logger.info("E-mail %s sent (%s)", email.pk, email.event or "e-mail")
    return "sent"


def _delivery_failed(email: OutgoingEmail, exc: Exception) -> str:
    failure = attempt_failed(
        attempts_before=email.attempts, exc=exc, delays=settings.SHOP_EMAIL_RETRY_DELAYS
    )
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.QUEUED if failure.retry_at else OutgoingEmail.Status.FAILED,
            attempts=failure.attempts,
            claimed_at=None,
            next_attempt_at=failure.retry_at,
            last_error=failure.error,
        )
        if failure.retry_at is None:
            logger.error(
                "E-mail %s failed %d times, given up: %s", email.pk, failure.attempts, failure.error
            )
            return "failed"
        _schedule(email.pk, at=failure.retry_at)
    logger.warning(
        "E-mail %s not sent (try %d), again at %s: %s",
        email.pk,
        failure.attempts,
        failure.retry_at,
        failure.error,
    )
    return "retry"


def email_resend(*, email_id: int) -> bool:
    """Staff: queue a failed e-mail again. False when it is not failed (sent, or queued)."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
        if email.status != OutgoingEmail.Status.FAILED:
            return False
        email.status = OutgoingEmail.Status.QUEUED
        email.attempts = 0
        email.next_attempt_at = timezone.now()
        email.save(update_fields=["status", "attempts", "next_attempt_at"])
        _schedule(email.pk)
    return True


def emails_recover() -> int:
    """Timed job: e-mails whose delivery was lost are queued again.

    A worker killed while sending leaves its row "sending"; a worker killed before it
    ran a delivery task leaves the task "running" and the row "queued" past its time.
    Both are queued again after SHOP_EMAIL_STALE_AFTER seconds (longer than a delivery can
    take, EMAIL_TIMEOUT included). Returns how many.
    """
    stale = timezone.now() - timedelta(seconds=settings.SHOP_EMAIL_STALE_AFTER)
    recovered = 0
    with transaction.atomic():
        rows = OutgoingEmail.objects.select_for_update().filter(
            Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=stale)
            | Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lt=stale)
        )
        for email in rows:
            email.status = OutgoingEmail.Status.QUEUED
            email.claimed_at = None
            email.next_attempt_at = timezone.now()
            email.save(update_fields=["status", "claimed_at", "next_attempt_at"])
            _schedule(email.pk)
            recovered += 1
    if recovered:
        logger.warning("Queued %d e-mails again whose delivery was interrupted", recovered)
    return recovered
