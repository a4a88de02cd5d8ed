"""A Stripe-compatible HTTP server on loopback: what the shop calls, answered as Stripe does.

Implements Checkout Sessions (create, retrieve, expire) and Refunds (create) of Stripe's
API, with Stripe's rules the shop relies on: a Bearer secret key (401 otherwise), the
`Idempotency-Key` header (the same key with the same parameters answers the first
response again, with other parameters a 400 `idempotency_error`), form-encoded nested
parameters, `expires_at` between 30 minutes and 24 hours ahead, expiring only open
sessions, refunds no larger than what is left of the payment. Answers are Stripe-shaped
JSON objects, so the real `stripe` SDK (pointed here by STRIPE_API_BASE) parses them.

It also plays Stripe's hosted payment page (`/pay/<session id>`: a "Pay" button), and
sends webhooks signed as Stripe signs them (HMAC-SHA256 over `timestamp.payload`, header
`t=…,v1=…`).
"""

import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"


def parse_form(body: str) -> dict:
    """Stripe's form encoding (`a[b][0][c]=1`) into nested dicts and lists."""
    root: dict = {}
    for key, value in urllib.parse.parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header, computed as Stripe computes it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, code: str = ""):
        super().__init__(message)
        self.status, self.type, self.message, self.code = status, type_, message, code


class FakeStripe:
    def __init__(self, *, api_key="sk_test_shop", webhook_secret="whsec_test_shop"):
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.webhook_url = None
        self.send_webhooks = True
        self.sessions: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.idempotent: dict[str, tuple[str, str, int, dict]] = {}
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.RLock()
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # --- Stripe's API ------------------------------------------------------------------

    def api(self, method: str, path: str, params: dict) -> dict:
        if method == "POST" and path == "/v1/checkout/sessions":
            return self.session_create(params)
        found = re.fullmatch(r"/v1/checkout/sessions/([\w]+)(/expire)?", path)
        if found:
            session = self.sessions.get(found.group(1))
            if session is None:
                raise StripeError(
                    404,
                    "invalid_request_error",
                    f"No such checkout.session: '{found.group(1)}'",
                    "resource_missing",
                )
            if found.group(2) and method == "POST":
                if session["status"] != "open":
                    raise StripeError(
                        400,
                        "invalid_request_error",
                        "Only Checkout Sessions with a status of `open` can be expired.",
                    )
                session["status"] = "expired"
                return session
            if method == "GET":
                return session
        if method == "POST" and path == "/v1/refunds":
            return self.refund_create(params)
        raise StripeError(404, "invalid_request_error", f"Unrecognized request URL ({path}).")

    def session_create(self, params: dict) -> dict:
        now = int(time.time())
        expires_at = int(params.get("expires_at", now + 24 * 3600))
        if not now + 30 * 60 <= expires_at <= now + 24 * 3600:
            raise StripeError(
                400,
                "invalid_request_error",
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from now.",
            )
        for required in ("success_url", "line_items", "mode"):
            if required not in params:
                raise StripeError(
                    400, "invalid_request_error", f"Missing required param: {required}."
                )
        items = params["line_items"]
        currencies = {item["price_data"]["currency"] for item in items}
        if len(currencies) != 1:
            raise StripeError(400, "invalid_request_error", "Line items need one currency.")
        amount = sum(
            int(item["price_data"]["unit_amount"]) * int(item["quantity"]) for item in items
        )
        session_id = "cs_test_" + secrets.token_hex(12)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "livemode": False,
            "mode": params["mode"],
            "url": f"{self.url}/pay/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": currencies.pop(),
            "customer_email": params.get("customer_email"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "expires_at": expires_at,
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "payment_intent": None,
            "created": now,
            "line_items_sent": items,
        }
        self.sessions[session_id] = session
        return session

    def refund_create(self, params: dict) -> dict:
        intent = params.get("payment_intent")
        session = next(
            (s for s in self.sessions.values() if intent and s["payment_intent"] == intent), None
        )
        if session is None:
            raise StripeError(
                404,
                "invalid_request_error",
                f"No such payment_intent: '{intent}'",
                "resource_missing",
            )
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent)
        amount = int(params.get("amount", session["amount_total"] - refunded))
        if amount <= 0 or refunded + amount > session["amount_total"]:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge.",
                "amount_too_large",
            )
        refund = {
            "id": "re_" + secrets.token_hex(12),
            "object": "refund",
            "amount": amount,
            "currency": session["currency"],
            "payment_intent": intent,
            "status": "succeeded",
            "metadata": params.get("metadata", {}),
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        return refund

    # --- What Stripe does on its side ---------------------------------------------------

    def pay(self, session_id: str, *, amount_total: int | None = None) -> dict:
        """The shopper pays on the hosted page (optionally a different amount, to test)."""
        with self.lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise StripeError(400, "invalid_request_error", "This session is not open.")
            session["status"] = "complete"
            session["payment_status"] = "paid"
            session["payment_intent"] = "pi_" + secrets.token_hex(12)
            if amount_total is not None:
                session["amount_total"] = amount_total
        return session

    def event(self, type_: str, session: dict) -> dict:
        return {
            "id": "evt_" + secrets.token_hex(12),
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "livemode": False,
            "type": type_,
            "data": {"object": dict(session)},
        }

    def deliver(self, event: dict, *, url=None, secret=None, timestamp=None, body=None) -> int:
        """POST a signed event to the shop's webhook, as Stripe does; returns the status."""
        payload = body if body is not None else json.dumps(event).encode()
        header = sign(payload, secret or self.webhook_secret, timestamp)
        request = urllib.request.Request(
            url or self.webhook_url,
            data=payload,
            headers={"Content-Type": "application/json", "Stripe-Signature": header},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    # --- HTTP ---------------------------------------------------------------------------

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json", headers=()):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status, obj, headers=()):
                self._send(status, json.dumps(obj), headers=headers)

            def _api(self, method):
                path = urllib.parse.urlsplit(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                fake.calls.append((method, path))
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    return self._json(
                        401,
                        {
                            "error": {
                                "type": "invalid_request_error",
                                "message": "Invalid API Key provided.",
                            }
                        },
                    )
                key = self.headers.get("Idempotency-Key") if method == "POST" else None
                with fake.lock:
                    if key:
                        seen = fake.idempotent.get(key)
                        if seen is not None:
                            if (seen[0], seen[1]) != (path, body):
                                return self._json(
                                    400,
                                    {
                                        "error": {
                                            "type": "idempotency_error",
                                            "message": "Keys for idempotent requests can only be "
                                            "used with the same parameters they were first "
                                            "used with.",
                                        }
                                    },
                                )
                            return self._json(
                                seen[2], seen[3], headers=[("Idempotent-Replayed", "true")]
                            )
                    try:
                        status, answer = 200, fake.api(method, path, parse_form(body))
                        answer = {k: v for k, v in answer.items() if k != "line_items_sent"}
                    except StripeError as exc:
                        error = {"type": exc.type, "message": exc.message}
                        if exc.code:
                            error["code"] = exc.code
                        status, answer = exc.status, {"error": error}
                    if key:
                        fake.idempotent[key] = (path, body, status, answer)
                return self._json(status, answer)

            def do_GET(self):
                found = re.fullmatch(r"/pay/(\w+)", self.path)
                if found:
                    return self._hosted_page(found.group(1))
                return self._api("GET")

            def do_POST(self):
                found = re.fullmatch(r"/pay/(\w+)", self.path)
                if found:
                    return self._hosted_pay(found.group(1))
                return self._api("POST")

            def _hosted_page(self, session_id):
                session = fake.sessions.get(session_id)
                if session is None or session["status"] != "open":
                    return self._send(404, "<h1>This payment page has expired</h1>", HTML)
                total = f"£{session['amount_total'] / 100:.2f}"
                self._send(
                    200,
                    f"""<!doctype html><html lang="en"><title>Pay</title>
<h1>Test payment page</h1><p data-amount>{total}</p>
<form method="post"><button>Pay {total}</button></form>
<a href="{html.escape(session["cancel_url"] or "")}">Back</a></html>""",
                    HTML,
                )

            def _hosted_pay(self, session_id):
                try:
                    session = fake.pay(session_id)
                except (KeyError, StripeError):
                    return self._send(404, "<h1>This payment page has expired</h1>", HTML)
                if fake.send_webhooks and fake.webhook_url:
                    fake.deliver(fake.event("checkout.session.completed", session))
                url = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
                self.send_response(303)
                self.send_header("Location", url)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler
