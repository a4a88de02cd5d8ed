from django.core.mail.backends.base import BaseEmailBackend


class TaskQueueBackend(BaseEmailBackend):
    """Django's EMAIL_BACKEND in every process: a message "sent" is written to the outbox
    in the current transaction and delivered later by the task worker (shop.mail.services).
    """

    def send_messages(self, email_messages):
        from shop.mail.services import email_enqueue

        return sum(1 for message in email_messages if email_enqueue(message=message))
