"""Webhooks (optional per county): signed POSTs on new incidents, overdue hazards and published
briefings, retried with backoff, with a delivery log.

The minutely sweep (``api.tasks.webhooks_sweep``) finds the events since each webhook was created
(one ``WebhookDelivery`` per webhook, event and object, under a unique constraint: an event is
sent once however often the sweep runs) and hands each due delivery to a task. A delivery is
claimed by a conditional update of its ``next_attempt_at``; a failure moves it by 1, 2, 4 … minutes
(up to ``MAX_ATTEMPTS``). The body is signed: ``X-SC-Signature: sha256=HMAC(secret, "<timestamp>.<body>")``
with ``X-SC-Timestamp``. Payloads carry no personal data (ids, codes, figures, API addresses).
"""

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from inspections.models import Hazard
from reports.choices import BriefingStatus
from reports.models import Briefing

from .models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
CLAIM_SECONDS = 5 * 60
BATCH = 500


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _incident_payload(i):
    return {
        "id": i.pk,
        "township": i.township.code,
        "village": i.village.code,
        "occurred_at": i.occurred_at,
        "domain": i.domain,
        "accident_type": i.accident_type,
        "deaths": i.deaths,
        "serious_injuries": i.serious_injuries,
        "minor_injuries": i.minor_injuries,
        "direct_loss": i.direct_loss,
        "grade": str(i.grade),
        "url": reverse("api:incident-detail", args=[i.pk]),
    }


def _hazard_payload(h):
    return {
        "id": h.pk,
        "number": h.number,
        "township": h.township.code,
        "entity": h.entity_id,
        "is_major": h.is_major,
        "deadline": h.deadline,
        "status": h.status,
        "url": reverse("api:hazard-detail", args=[h.pk]),
    }


def _briefing_payload(b):
    return {
        "id": b.pk,
        "township": b.township.code,
        "year": b.year,
        "month": b.month,
        "version": b.version,
        "issue": b.issue_label,
        "published_at": b.published_at,
        "url": reverse("api:briefing-detail", args=[b.pk]),
        "pdf": reverse("api:briefing-pdf", args=[b.pk]),
    }


def _candidates(webhook, event, today):
    county = webhook.county_id
    if event == WebhookEvent.INCIDENT_CREATED:
        qs = Incident.objects.filter(township__parent_id=county, created_at__gte=webhook.created_at).select_related(
            "township", "village"
        )
        return qs, _incident_payload
    if event == WebhookEvent.HAZARD_OVERDUE:
        return Hazard.objects.filter(township__parent_id=county).overdue(today).select_related(
            "township"
        ), _hazard_payload
    qs = Briefing.objects.filter(
        township__parent_id=county, status=BriefingStatus.PUBLISHED, published_at__gte=webhook.created_at
    ).select_related("township")
    return qs, _briefing_payload


@transaction.atomic
def webhook_events_collect(*, today: dt.date | None = None) -> int:
    """Record a delivery for every event not yet recorded; returns how many were added."""
    today = today or timezone.localdate()
    added = 0
    for webhook in Webhook.objects.filter(is_active=True):
        for event in webhook.events:
            queryset, payload = _candidates(webhook, event, today)
            done = WebhookDelivery.objects.filter(webhook=webhook, event=event).values("object_id")
            rows = [
                WebhookDelivery(
                    webhook=webhook, event=event, object_id=obj.pk, payload={"event": event, "data": payload(obj)}
                )
                for obj in queryset.exclude(pk__in=done).order_by("pk")[:BATCH]
            ]
            added += len(WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True))
    return added


def due_deliveries(*, now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, webhook__is_active=True)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )


def webhook_deliver(*, delivery_id: int, now=None) -> str | None:
    """Send one delivery if it is due (claimed by a conditional update, so a message sent twice
    sends once); returns its status afterwards, or None when it was not due."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    body = json.dumps({**delivery.payload, "delivery": delivery.pk}, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "safecommunity-webhooks/1",
            "X-SC-Event": delivery.event,
            "X-SC-Delivery": str(delivery.pk),
            "X-SC-Timestamp": timestamp,
            "X-SC-Signature": sign(delivery.webhook.secret, timestamp, body),
        },
    )
    code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - the county's URL
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(exc)[:300]
    attempts = delivery.attempts + 1
    if code is not None and 200 <= code < 300:
        fields = {"status": DeliveryStatus.DELIVERED, "delivered_at": timezone.now(), "last_error": ""}
    elif attempts >= MAX_ATTEMPTS:
        fields = {"status": DeliveryStatus.FAILED, "last_error": error}
    else:
        fields = {"next_attempt_at": now + dt.timedelta(minutes=2 ** (attempts - 1)), "last_error": error}
    WebhookDelivery.objects.filter(pk=delivery_id).update(attempts=attempts, last_status_code=code, **fields)
    return fields.get("status", DeliveryStatus.PENDING)
