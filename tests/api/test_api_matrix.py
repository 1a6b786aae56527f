"""The role × action × state matrix of ``tests/test_action_matrix.py``, run through the API.

Every case whose action the API offers is run again: the same setup through the route, the same user, the
same expected outcome, and the same check that a refusal changed nothing. Only the call differs: each action
the case would call is replaced, for the duration of the call, by the HTTP request the API takes for it (with
the user's token), and the response is read back into what the action would have raised — 403 as
``NotAllowed``, 409 as ``Refused``, 400 with rows as ``ImportRejected`` — each with the code from the body.
Cases of actions the API does not offer (grid amounts, improvement plans, delegations) are left out by name.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.refusals import NotAllowed, Refused
from tests import test_action_matrix as matrix

pytestmark = pytest.mark.django_db

NOT_IN_THE_API = ("amount", "plan", "delegate")
CASES = [c for c in matrix.CASES if not c.id.startswith(NOT_IN_THE_API)]


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def read(response):
    """The response as the action's own result or refusal."""
    if response.status_code in (200, 201):
        return response.json()
    assert response.status_code in (400, 403, 409), (response.status_code, response.content[:500])
    errors = response.json()["errors"]
    assert errors and all({"code", "message"} <= set(e) for e in errors), errors
    first = errors[0]
    if response.status_code == 403:
        raise NotAllowed(first["code"], first["message"])
    if response.status_code == 400 and all("row" in e for e in errors):
        raise ImportRejected([RowError(e["row"], e.get("field", ""), e.get("value", ""), e["code"], e["message"])
                              for e in errors])
    raise Refused(first["code"], first["message"])


def post(user, url: str, data: dict, fmt: str = "json"):
    return read(client_for(user).post(url, data, format=fmt))


def upload(data: bytes, filename: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, data, content_type="text/csv")


def sheet_step(obj, action, *, acting_user, comment=""):
    return post(acting_user, f"/api/v1/sheets/{obj.pk}/actions/", {"action": action, "comment": comment})["state"]


def round_step(action: str, **extra):
    def call(round_, *, acting_user, **given):
        given = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in given.items()}
        return post(acting_user, f"/api/v1/rounds/{round_.pk}/actions/", {"action": action, **given})["state"]

    return call


def send_back(sheet, *, comment, acting_user):
    return sheet_step(sheet, "send_back", acting_user=acting_user, comment=comment)


def file_objection(sheet, *, reason, acting_user, evidence=None):
    return post(acting_user, "/api/v1/objections/", {"sheet": sheet.pk, "reason": reason})


def answer_objection(objection, *, answer, acting_user):
    return post(acting_user, f"/api/v1/objections/{objection.pk}/answer/", {"answer": answer})


def record_entry(scheme, *, cells, acting_user, files=()):
    return post(acting_user, "/api/v1/ledger/", {"scheme": scheme.code, **cells})


def reverse_entry(entry, *, reason, acting_user):
    return post(acting_user, f"/api/v1/ledger/{entry.pk}/reverse/", {"reason": reason})


def import_ledger(data, filename, scheme, *, acting_user):
    return post(acting_user, "/api/v1/ledger/import/", {"scheme": scheme.code, "file": upload(data, filename)},
                "multipart")


def import_units(data, filename, *, acting_user):
    return post(acting_user, "/api/v1/units/import/", {"file": upload(data, filename)}, "multipart")


def import_economy(data, filename, scheme, as_of, *, acting_user):
    return post(acting_user, "/api/v1/economy/import/",
                {"scheme": scheme.code, "as_of": str(as_of), "file": upload(data, filename)}, "multipart")


def copy_scheme(scheme, *, year, acting_user):
    return post(acting_user, f"/api/v1/schemes/{scheme.code}/copy/", {"year": year})


EDITED = {"Rule": ("rules", ["name", "kind", "amount", "min_points", "max_points", "bands"]),
          "Scheme": (None, ["name", "decimal_places", "tie_breakers"])}


def save_record(obj, *, acting_user, reason=""):
    """The record as the case changed it, sent as the PATCH of its fields."""
    kind, fields = EDITED[type(obj).__name__]
    values = {f: getattr(obj, f) for f in fields}
    values = {k: v if isinstance(v, list) or v is None else str(v) for k, v in values.items()}
    url = f"/api/v1/schemes/{obj.code}/" if kind is None else f"/api/v1/schemes/{obj.scheme.code}/{kind}/{obj.code}/"
    return read(client_for(acting_user).patch(url, values, format="json"))


THROUGH_THE_API = {
    "do_transition": sheet_step,
    "do_send_back_sheet": send_back,
    "do_collect_round": round_step("collect"),
    "do_decide_round": round_step("decide"),
    "do_publish_round": round_step("publish"),
    "do_recollect_round": round_step("recollect"),
    "do_close_round": round_step("close"),
    "do_file_objection": file_objection,
    "do_answer_objection": answer_objection,
    "do_record_entry": record_entry,
    "do_reverse_entry": reverse_entry,
    "do_import_ledger": import_ledger,
    "do_import_units": import_units,
    "do_import_economy": import_economy,
    "do_copy_scheme": copy_scheme,
    "do_save_record": save_record,
}


def through_the_api(act):
    def run(ctx, user):
        with mock.patch.multiple(matrix, **THROUGH_THE_API):
            return act(ctx, user)

    return run


@pytest.mark.parametrize(("given", "act", "role", "outcome"), CASES)
def test_action_matrix_through_the_api(given, act, role, outcome, round_, people, units, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "10000/minute"}}
    matrix.test_action_matrix(given, through_the_api(act), role, outcome, round_, people, units)


def test_the_api_runs_most_of_the_matrix():
    """Every route step, ledger write, import and scheme edit of the matrix goes through the API too."""
    actions = {c.id.split("-", 1)[0] for c in CASES}
    assert {"submit", "sign", "return", "send_back", "object", "answer", "collect", "decide", "publish", "recollect",
            "close", "ledger_add", "ledger_reverse", "copy_scheme", "save_rule", "save_scheme", "import_ledger",
            "import_units", "import_economy"} <= actions
    assert len(CASES) >= 190
