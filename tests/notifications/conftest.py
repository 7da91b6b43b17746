"""Real servers for the sends: an SMTP server (aiosmtpd) and an HTTP server for the webhooks,
both on free local ports, started and stopped by each test that uses them."""

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from tests.inspections.conftest import entities, grids, media_root  # noqa: F401 - fixtures


class _Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(
                {
                    "to": list(envelope.rcpt_tos),
                    "subject": str(msg["subject"]).strip(),
                    "body": msg.get_body().get_content(),
                }
            )
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["to"]]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; the portal's mail goes to it through Django's SMTP backend."""
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's ready check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_CONFIGURED = True
    yield inbox
    controller.stop()


class _Hook:
    def __init__(self):
        self.posts = []
        self.fail_next = 0


@pytest.fixture
def webhook_server():
    """A local HTTP server that records each JSON POST (answers {"errcode": 0}); ``fail_next``
    makes it answer 500 that many times."""
    hook = _Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if hook.fail_next:
                hook.fail_next -= 1
                self.send_response(500)
                self.end_headers()
                return
            hook.posts.append({"path": self.path, "json": json.loads(body)})
            answer = b'{"errcode": 0, "errmsg": "ok"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test"
    yield hook
    server.shutdown()
    server.server_close()


@pytest.fixture
def emails(world):
    """Give the world's users e-mail addresses."""
    for name, user in world.users.items():
        user.email = f"{name}@example.test"
        user.save(update_fields=["email"])
    return world
