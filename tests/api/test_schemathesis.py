"""Schemathesis against /api/schema/, in-process on the Django WSGI app with a township staff
token: no request it generates (schema-valid, and for the writes also invalid) gets a 500, and
every response matches the schema (status code, content type, headers, body)."""

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis import openapi as schemathesis_openapi
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 6


def _run(operation, mode, headers, failures):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        check()
    except Exception as exc:  # noqa: BLE001 - every operation's failure is collected and reported together
        failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"[:3000])


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, without closing the test's database connection at the end
    of each request (as Django's test client does it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from safecommunity.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_conforms_to_its_schema(objects, tokens, settings, wsgi_app):
    application = wsgi_app

    # A few hundred requests with one token: no throttling here (it is tested on its own).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": None}}
    schema = schemathesis_openapi.from_wsgi("/api/schema/", application)
    headers = {"Authorization": f"Bearer {tokens['township1']}"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/pdf/"):
            continue  # PDF rendering (WeasyPrint) is tested in tests/reports; here it would only be slow
        operations += 1
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if operation.method == "post" else [])
        for mode in modes:
            _run(operation, mode, headers, failures)
    assert operations >= 25
    assert not failures, "\n\n".join(failures)
