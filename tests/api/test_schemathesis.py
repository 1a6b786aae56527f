"""Schemathesis against the API's own OpenAPI schema, through the WSGI app: a bounded number of generated
requests per operation, as an administrator and as an assessed unit. No answer is a 5xx; every answer has a
documented status and content type and matches its schema (the error shape included)."""

import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Each request commits on its own, as in production: a refused request never leaves the next one a broken
# transaction to run in.
pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 12  # per operation and role: 30 operations × 2 roles × 12 is about 20 s here
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
SCHEMA.app = get_wsgi_application()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def exercise(user) -> int:
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}", "Accept-Language": "en"}
    calls = 0
    for operation in OPERATIONS:

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal calls
            calls += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
    return calls


@pytest.mark.parametrize("role", ["admin", "town"])
def test_every_operation_answers_as_documented(people, round_, role, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/minute"}}
    started = time.monotonic()
    calls = exercise(people[role])
    assert len(OPERATIONS) >= 30 and calls >= len(OPERATIONS)
    print(f"{role}: {len(OPERATIONS)} operations, {calls} requests in {time.monotonic() - started:.1f} s")
