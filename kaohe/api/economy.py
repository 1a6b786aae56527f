"""Economic figures (monthly targets and cumulative actuals per unit and indicator): the list, and a file from
the statistics office through the same importer as ``import_economy``."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.actions.economy import do_import_economy
from kaohe.models import EconomicFigure

from . import query
from .access import InBureau, scheme_named
from .errors import ErrorBody
from .serializers import EconomyFileIn, FigureOut, ImportOut

REFUSALS = {400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody}


class Figures(generics.ListAPIView):
    permission_classes = [InBureau]
    serializer_class = FigureOut

    @extend_schema(parameters=[
        OpenApiParameter("scheme", str), OpenApiParameter("unit", str, description=gettext_lazy("unit name")),
        OpenApiParameter("code", str, description=gettext_lazy("indicator code (output, revenue, …)")),
        OpenApiParameter("month_from", str, description=gettext_lazy("YYYY-MM")), OpenApiParameter("month_to", str,
                                                                                     description=gettext_lazy("YYYY-MM"))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = EconomicFigure.objects.select_related("scheme", "unit", "indicator").order_by(
            "scheme__code", "unit__name", "indicator__order", "year", "month")
        code, unit, scheme = (query.text(self.request, n) for n in ("code", "unit", "scheme"))
        first, last = query.month(self.request, "month_from"), query.month(self.request, "month_to")
        if scheme:
            found = found.filter(scheme__code=scheme)
        if unit:
            found = found.filter(unit__name=unit)
        if code:
            found = found.filter(indicator__code=code)
        if first:
            found = found.filter(Q(year__gt=first.year) | Q(year=first.year, month__gte=first.month))
        if last:
            found = found.filter(Q(year__lt=last.year) | Q(year=last.year, month__lte=last.month))
        return found


class ImportEconomy(APIView):
    """A file of figures (``unit,indicator,target,actual``) as of one month; all rows or none."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=EconomyFileIn, responses={201: ImportOut, **REFUSALS})
    def post(self, request):
        given = EconomyFileIn(data=request.data)
        given.is_valid(raise_exception=True)
        upload, as_of = given.validated_data["file"], given.validated_data["as_of"]
        scheme = scheme_named(given.validated_data["scheme"])
        outcome = do_import_economy(upload.read(), upload.name, scheme, as_of, acting_user=request.user)
        return Response(ImportOut(outcome).data, status=status.HTTP_201_CREATED)
