"""``Idempotency-Key`` on POST: a retried request creates one record and gets the first response.

The key row is inserted in the transaction that creates the record, under a unique constraint
per user: a concurrent retry waits for the first request and then replays its response. A failed
request (validation errors) stores nothing, so it can be corrected and sent again with the key.
The same key with a different body is a 422 problem.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .models import IdempotencyRecord
from .problems import problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class _Failed(Exception):
    def __init__(self, response):
        self.response = response


def request_hash(request) -> str:
    body = request.data
    if hasattr(body, "lists"):  # multipart: the fields and the files' names and sizes
        body = {k: v for k, v in body.lists()}
        body["_files"] = sorted((k, f.name, f.size) for k, f in request.FILES.items())
    text = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{text}".encode()).hexdigest()


def _replay(record, digest, request):
    if record.request_hash != digest:
        return problem(422, _("该Idempotency-Key已用于另一个不同的请求"), request=request)
    headers = {"Idempotent-Replayed": "true"}
    if record.location:
        headers["Location"] = record.location
    return Response(record.response_body, status=record.status_code, headers=headers)


def idempotent(request, perform) -> Response:
    """Run ``perform()`` (which returns a Response) once per (user, Idempotency-Key)."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return perform()
    if len(key) > MAX_KEY_LENGTH:
        return problem(400, _("Idempotency-Key最长%(n)d个字符") % {"n": MAX_KEY_LENGTH}, request=request)
    digest = request_hash(request)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=request.user, key=key, method=request.method, path=request.path[:300], request_hash=digest
                    )
            except IntegrityError:
                record = IdempotencyRecord.objects.get(user=request.user, key=key)
                return _replay(record, digest, request)
            response = perform()
            if not 200 <= response.status_code < 300:
                raise _Failed(response)
            record.status_code = response.status_code
            record.response_body = response.data
            record.location = response.headers.get("Location", "")[:300]
            record.save(update_fields=["status_code", "response_body", "location"])
            return response
    except _Failed as failed:
        return failed.response
