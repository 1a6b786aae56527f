"""Reports: the report layer's rows as JSON, or its exports (CSV, XLSX, PDF) — the same classes the Desk page
and ``manage.py report`` run, with the same permission (``can_run_report``) and the same filter checks."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.models import Round
from kaohe.permissions import can_run_report
from kaohe.refusals import NotAllowed
from kaohe.report.base import FILTER_LABELS
from kaohe.report.export import ENCODINGS, as_json, content_type, export
from kaohe.report.registry import REPORTS

from . import query
from .errors import ErrorBody

FILTERS = list(FILTER_LABELS)


class ReportRows(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("round", int, required=True, description=gettext_lazy("the round's id")),
                    OpenApiParameter("export", str, enum=["json", "csv", "xlsx", "pdf"],
                                     description=gettext_lazy(
                                         "json (default): columns and rows; csv, xlsx or pdf: the export file")),
                    OpenApiParameter("encoding", str, enum=list(ENCODINGS),
                                     description=gettext_lazy("CSV only: utf-8 with a BOM (default) or gb18030")),
                    *[OpenApiParameter(name, str, description=gettext_lazy("a filter, where the report offers it"))
                      for name in FILTERS]],
        responses={200: OpenApiTypes.OBJECT, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody})
    def get(self, request, code: str):
        report = REPORTS.get(code)
        if report is None:
            raise NotFound(_("There is no report %(code)s.") % {"code": code})
        round_id = query.number(request, "round")
        if round_id is None:
            raise ValidationError({"round": [_("This field is required.")]}, code="required")
        round_ = get_object_or_404(Round, pk=round_id)
        if not can_run_report(request.user, code, round_):
            raise NotAllowed("report_not_allowed", _("This report is not yours to run for this round."))
        raw = {name: request.query_params.get(name, "") for name in FILTERS if request.query_params.get(name)}
        result = report.run(round_, raw, user=request.user)  # an unknown filter or value: a 409 refusal
        result.meta["round"] = round_.name
        fmt = query.text(request, "export") or "json"
        if fmt == "json":
            return Response(json.loads(as_json(result)))
        if fmt not in ("csv", "xlsx", "pdf"):
            raise ValidationError({"export": [_("Choose json, csv, xlsx or pdf.")]}, code="bad_export")
        encoding = query.text(request, "encoding") or "utf-8"
        if encoding not in ENCODINGS:
            raise ValidationError({"encoding": [_("Choose utf-8 or gb18030.")]}, code="bad_encoding")
        response = HttpResponse(export(result, fmt, encoding), content_type=content_type(fmt, encoding))
        response["Content-Disposition"] = f'attachment; filename="{code}-round{round_.pk}.{fmt}"'
        return response
