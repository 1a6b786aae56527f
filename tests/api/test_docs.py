"""The OpenAPI schema and the documentation pages: served from this site, under its CSP."""

import pytest
import yaml
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_lists_version_1_and_the_error_shape(people):
    client = APIClient()
    client.force_login(people["staff"])
    answer = client.get("/api/schema/")
    assert answer.status_code == 200
    schema = yaml.safe_load(answer.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/ledger/", "/api/v1/ledger/import/", "/api/v1/sheets/{id}/actions/",
            "/api/v1/schemes/{code}/scores/", "/api/v1/objections/"} <= set(schema["paths"])
    assert set(schema["components"]["schemas"]["ErrorItem"]["properties"]) == {"code", "message", "field", "value",
                                                                               "row"}
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_load_nothing_from_elsewhere(people):
    client = APIClient()
    client.force_login(people["staff"])
    answer = client.get("/api/docs/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "http://" not in html and "https://" not in html and "<script>" not in html
    policy = answer["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "cdn" not in policy


def test_the_swagger_start_up_script_is_a_file_of_this_site(people):
    client = APIClient()
    client.force_login(people["staff"])
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
