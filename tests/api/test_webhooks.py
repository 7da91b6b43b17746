"""Webhooks: a county's receiver gets signed POSTs for new incidents, overdue hazards and
published briefings, once each; a failing receiver is retried with growing delays; the log keeps
every attempt. The receiver is a real HTTP server on localhost."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from api import webhooks
from api.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from api.tasks import webhooks_sweep
from reports.models import Briefing
from tests.incidents.factories import IncidentFactory, aware

SECRET = "county-secret-2026"


class Receiver:
    def __init__(self):
        self.requests, self.status = [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def webhook(world, receiver):
    hook = Webhook(county=world.county, url=receiver.url, secret=SECRET, events=list(WebhookEvent.values))
    hook.full_clean()
    hook.save()
    return hook


def _deliver_due():
    return [webhooks.webhook_deliver(delivery_id=i) for i in webhooks.due_deliveries()]


def test_new_incident_is_posted_once_signed(webhook, receiver, world):
    incident = IncidentFactory(village=world.village1, occurred_at=aware(timezone.localdate().year, 1, 3), deaths=1)
    IncidentFactory(village=world.other_township.children.get())  # another county's: not theirs
    assert webhooks.webhook_events_collect() == 1
    assert _deliver_due() == [DeliveryStatus.DELIVERED]
    headers, body = receiver.requests[0]
    expected = (
        "sha256="
        + hmac.new(SECRET.encode(), headers["X-SC-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    )
    assert hmac.compare_digest(headers["X-SC-Signature"], expected)
    assert headers["X-SC-Event"] == "incident.created"
    payload = json.loads(body)
    assert payload["data"]["id"] == incident.pk and payload["data"]["township"] == world.township1.code
    assert payload["data"]["url"] == f"/api/v1/incidents/{incident.pk}/"
    # The next sweeps find nothing new and send nothing again.
    assert webhooks.webhook_events_collect() == 0
    assert _deliver_due() == []
    assert len(receiver.requests) == 1


def test_failing_receiver_is_retried_with_backoff_then_delivered(webhook, receiver, world):
    IncidentFactory(village=world.village1)
    receiver.status = 503
    webhooks.webhook_events_collect()
    assert _deliver_due() == [DeliveryStatus.PENDING]
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_status_code == 503
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert _deliver_due() == []  # not due yet
    later = timezone.now() + dt.timedelta(minutes=1, seconds=5)
    assert webhooks.webhook_deliver(delivery_id=delivery.pk, now=later) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at > later + dt.timedelta(minutes=1)
    receiver.status = 204
    final = webhooks.webhook_deliver(delivery_id=delivery.pk, now=timezone.now() + dt.timedelta(minutes=10))
    assert final == DeliveryStatus.DELIVERED
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and len(receiver.requests) == 3


def test_unreachable_receiver_fails_after_the_last_attempt(webhook, world):
    webhook.url = "http://127.0.0.1:9/nothing"
    webhook.save()
    IncidentFactory(village=world.village1)
    webhooks.webhook_events_collect()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=webhooks.MAX_ATTEMPTS - 1)
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error and delivery.status == DeliveryStatus.FAILED


def test_overdue_hazards_and_published_briefings(webhook, receiver, objects, world):
    hazard = objects["t1"]["hazard"]
    hazard.deadline = timezone.localdate() - dt.timedelta(days=1)
    hazard.save()
    Briefing.objects.filter(pk=objects["t2"]["briefing"].pk).update(status="published", published_at=timezone.now())
    webhooks_sweep()  # eager in tests: records the events and sends them
    events = sorted(h["X-SC-Event"] for h, _body in receiver.requests)
    assert events == ["briefing.published", "hazard.overdue", "incident.created", "incident.created"]
    sent = {json.loads(b)["data"]["id"] for h, b in receiver.requests if h["X-SC-Event"] == "hazard.overdue"}
    assert sent == {hazard.pk}
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 4


def test_unknown_event_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Webhook(county=world.county, url="https://example.invalid/h", secret="s", events=["x.y"]).full_clean()
