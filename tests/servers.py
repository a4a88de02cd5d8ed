"""Servers and processes on loopback that the tests and the benchmark (bench/) both start:
a free port, waiting until one answers, stopping a process, a mail server (aiosmtpd) that
keeps what it receives, one that accepts connections and never answers, and a shopper's
cookies.

No Django and no pytest here: `python -m bench` imports this module as it is."""

import asyncio
import contextlib
import email
import http.cookies
import socket
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email.policy import default as default_policy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30, process=None, log=lambda: "") -> None:
    """Until something accepts connections on 127.0.0.1:`port`. Fails after `timeout`
    seconds, or at once when `process` (the one that should listen there) has exited;
    `log()` says why."""
    deadline = time.monotonic() + timeout
    while True:
        assert process is None or process.poll() is None, f"the server exited:\n{log()}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        assert time.monotonic() < deadline, f"nothing answers on port {port}:\n{log()}"
        time.sleep(0.1)


def stop_process(process: subprocess.Popen, *, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def database_url(settings_dict: dict) -> str:
    """The URL of the database `settings_dict` (a Django DATABASES entry) describes, for a
    process of the shop started on the tests' own database."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = urllib.parse.quote(settings_dict["USER"] or "")
    password = settings_dict["PASSWORD"]
    credentials = f"{user}:{urllib.parse.quote(password)}@" if password else f"{user}@"
    host = settings_dict["HOST"] or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


@dataclass
class MailSink:
    """aiosmtpd's handler: keeps every message it accepts, `delay` seconds before accepting."""

    delay: float = 0
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]


class SMTPServer:
    """aiosmtpd on 127.0.0.1:`port` (a free one unless given), started and stopped at
    will: the port stays the same. What it received is in `self.sink`."""

    def __init__(self, port: int | None = None, delay: float = 0):
        self.port = port or free_port()
        self.sink = MailSink(delay=delay)
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


class HangingServer:
    """Accepts TCP connections and never says a word: a mail server that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.accepted.append(self.sock.accept()[0])
            except OSError:
                return

    def stop(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


class Cookies(dict):
    """A shopper's cookies, {name: value}, kept from responses as a browser keeps them."""

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.items())

    def keep(self, response) -> None:
        """Every cookie of the response's Set-Cookie headers; an empty one or one with
        Max-Age=0 is deleted."""
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.pop(name, None)
                else:
                    self[name] = morsel.value
