"""Structured logs: one JSON object a line in production, with the request id nginx set
(X-Request-ID), the order number once there is one, and no personal data."""

import re

import structlog

# What django-structlog would log about the shopper: their address and browser.
PERSONAL = ("ip", "user_agent")
# Oscar logs "Sending email to <address>" while placing an order.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def drop_personal_data(logger, method_name, event_dict):
    for key in PERSONAL:
        event_dict.pop(key, None)
    event = event_dict.get("event")
    if isinstance(event, str) and "@" in event:
        event_dict["event"] = EMAIL.sub("[e-mail]", event)
    request = event_dict.get("request")
    if isinstance(request, str):
        # "GET /search/?q=…": a query string may carry what a shopper typed.
        event_dict["request"] = request.split("?", 1)[0]
    return event_dict


SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    drop_personal_data,
]


def formatter(json: bool = True) -> structlog.stdlib.ProcessorFormatter:
    """The logging formatter of LOGGING: Django's, Oscar's and our records alike."""
    renderer = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*SHARED, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )


def configure() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def failed_request_code(sender, request, logger, exception, log_kwargs, **kwargs):
    """django-structlog logs every exception as code 500; a database out of reach is
    answered 503 (shop.health.views.server_error), and its log line says so."""
    from shop.health.views import database_unreachable

    if database_unreachable(exception):
        log_kwargs["code"] = 503


def bind_order_number(sender, order, **kwargs):
    """Every later line of the request that placed an order carries its number."""
    structlog.contextvars.bind_contextvars(order_number=order.number)
