"""The ledger: its rows (filtered by unit, rule and date), one new row, a reversal, or a whole file — all
through ``kaohe.actions.ledger``, so a row is checked by the importer's validator whichever way it comes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.actions.ledger import ENTRY_COLUMNS, do_import_ledger, do_record_entry, do_reverse_entry
from kaohe.models import LedgerEntry, Rule
from kaohe.permissions import sections_seen

from . import query
from .access import InBureau, scheme_named
from .errors import ErrorBody
from .serializers import FileIn, ImportOut, LedgerIn, LedgerOut, ReasonIn

REFUSALS = {400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody}
FILTERS = [OpenApiParameter("scheme", str, description=gettext_lazy("scheme code (default: the newest)")),
           OpenApiParameter("unit", str, description=gettext_lazy("unit name")), OpenApiParameter("rule", str),
           OpenApiParameter("date_from", str, description=gettext_lazy("YYYY-MM-DD")),
           OpenApiParameter("date_to", str, description=gettext_lazy("YYYY-MM-DD"))]


def visible_rows(user):
    """The rows under the rules of the sections the user sees (every section: administrator, collector, meeting)."""
    rows = LedgerEntry.objects.select_related("scheme", "unit", "rule", "created_by").order_by("-id")
    sections = sections_seen(user)
    if sections is not None:
        rows = rows.filter(rule__in=Rule.objects.filter(indicator__section_id__in=sections))
    return rows


class Ledger(generics.ListCreateAPIView):
    permission_classes = [InBureau]
    serializer_class = LedgerOut

    @extend_schema(parameters=FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = visible_rows(self.request.user)
        code, unit, rule = (query.text(self.request, n) for n in ("scheme", "unit", "rule"))
        first, last = query.day(self.request, "date_from"), query.day(self.request, "date_to")
        if code:
            rows = rows.filter(scheme__code=code)
        if unit:
            rows = rows.filter(unit__name=unit)
        if rule:
            rows = rows.filter(rule__code=rule)
        if first:
            rows = rows.filter(date__gte=first)
        if last:
            rows = rows.filter(date__lte=last)
        return rows

    @extend_schema(request=LedgerIn, responses={201: LedgerOut, **REFUSALS})
    def post(self, request, *args, **kwargs):
        given = LedgerIn(data=request.data)
        given.is_valid(raise_exception=True)
        cells = {k: given.validated_data[k] for k in ENTRY_COLUMNS}
        entry = do_record_entry(scheme_named(given.validated_data["scheme"]), cells=cells, acting_user=request.user)
        return Response(LedgerOut(entry).data, status=status.HTTP_201_CREATED)


class LedgerRow(generics.RetrieveAPIView):
    permission_classes = [InBureau]
    serializer_class = LedgerOut

    def get_queryset(self):
        return visible_rows(self.request.user)


class Reverse(APIView):
    """The row that cancels a row, with the reason; both stay in the ledger."""

    permission_classes = [InBureau]

    @extend_schema(request=ReasonIn, responses={201: LedgerOut, **REFUSALS})
    def post(self, request, pk: int):
        given = ReasonIn(data=request.data)
        given.is_valid(raise_exception=True)
        entry = get_object_or_404(LedgerEntry, pk=pk)
        reversal = do_reverse_entry(entry, reason=given.validated_data["reason"], acting_user=request.user)
        return Response(LedgerOut(reversal).data, status=status.HTTP_201_CREATED)


class ImportLedger(APIView):
    """A ledger file (CSV or xlsx, as for ``import_ledger``): every row or none; a 400 lists each bad row."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=FileIn, responses={201: ImportOut, 200: ImportOut, **REFUSALS})
    def post(self, request):
        given = FileIn(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        scheme = scheme_named(given.validated_data["scheme"])
        outcome = do_import_ledger(upload.read(), upload.name, scheme, acting_user=request.user)
        written = status.HTTP_201_CREATED if outcome.batch_id is not None else status.HTTP_200_OK
        return Response(ImportOut(outcome).data, status=written)
