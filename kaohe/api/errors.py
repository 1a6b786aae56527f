"""One error shape for every failure: ``{"errors": [{"code", "message", "field", "value", "row"}]}``.

``message`` is in the caller's language (Accept-Language); ``row`` is given only for the rows of an uploaded
file (1 is the header line, as a spreadsheet shows it); ``field`` and ``value`` when one input is at fault.
Statuses: 400 bad input, 401 no credentials, 403 not allowed for this role, 404, 405, 409 not possible in this
state, 413 too large, 415, 429 rate limited, 503 the database is not answering (retry after Retry-After).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.refusals import NotAllowed, Refused

log = logging.getLogger("kaohe.api")


class ErrorItem(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(required=False)
    value = serializers.CharField(required=False)
    row = serializers.IntegerField(required=False)


class ErrorBody(serializers.Serializer):
    errors = ErrorItem(many=True)


def item(code: str, message, *, field: str | None = None, value=None, row: int | None = None) -> dict:
    found = {"code": code, "message": str(message)}
    if field:
        found["field"] = field
    if value is not None:
        found["value"] = str(value)
    if row is not None:
        found["row"] = row
    return found


def row_item(error: RowError, *, from_file: bool) -> dict:
    return item(error.code, error.message, field=error.column or None, value=error.value,
                row=error.line if from_file and error.line > 0 else None)


def body(*items: dict) -> dict:
    return {"errors": list(items)}


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested validation detail as flat items, each naming its field (``cells.0.points``)."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            name = None if key == "non_field_errors" else (f"{field}.{key}" if field else str(key))
            found += _flatten(value, name)
        return found
    if isinstance(detail, list):
        found = []
        for n, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            found += _flatten(value, f"{field}.{n}" if nested and field else field)
        return found
    return [item(getattr(detail, "code", "invalid") or "invalid", detail, field=field)]


def handle(exc, context):
    """DRF's exception handler: refusals, import errors and DRF's own errors, all in the one shape."""
    if isinstance(exc, ImportRejected):
        return Response(body(*(row_item(e, from_file=True) for e in exc.errors)), status=status.HTTP_400_BAD_REQUEST)
    errors = getattr(exc, "errors", None)
    if isinstance(exc, Refused) and errors and all(isinstance(e, RowError) for e in errors):
        # one entry from a form (not a file): the same validator's errors, by field, without a row
        return Response(body(*(row_item(e, from_file=False) for e in errors)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotAllowed):
        return Response(body(item(exc.code, exc)), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Refused):
        return Response(body(item(exc.code, exc)), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DataError):
        # a value the database cannot hold or compare (a NUL byte, a number out of its range): bad input
        return Response(body(item("invalid", _("A value in the request cannot be stored or searched for."))),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OperationalError | InterfaceError):
        # the database is not answering (restarting, failing over): nothing was written; the client may retry
        response = Response(body(item("database_unavailable", _("The database is not answering; nothing was "
                                                                "changed. Please try again in a few seconds."))),
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = "5"
        return response
    if not isinstance(exc, exceptions.APIException):
        # a bug: logged with its traceback for the administrator; the caller gets the one shape, no traceback
        log.error("API error in %s", context.get("view").__class__.__name__, exc_info=exc)
        return Response(body(item("server_error", _("Something went wrong on the server; it has been logged."))),
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        items = _flatten(exc.detail) or [item("invalid", _("Invalid input."))]
    else:
        items = [item(exc.get_codes() if isinstance(exc.get_codes(), str) else "error", exc.detail)]
    response = Response(body(*items), status=exc.status_code)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    return response
