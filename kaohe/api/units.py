"""Unit groups, units and sections (read), and the units file (the same importer as ``import_units``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.actions.units import do_import_units
from kaohe.models import Section, Unit, UnitGroup

from . import query
from .access import InBureau
from .errors import ErrorBody
from .serializers import GroupOut, ImportOut, SectionOut, UnitOut, UnitsFileIn

REFUSALS = {400: ErrorBody, 403: ErrorBody, 409: ErrorBody}


class Groups(generics.ListAPIView):
    permission_classes = [InBureau]
    serializer_class = GroupOut

    @extend_schema(parameters=[OpenApiParameter("code", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = UnitGroup.objects.order_by("order", "code")
        code = query.text(self.request, "code")
        return found.filter(code=code) if code else found


class Units(generics.ListAPIView):
    permission_classes = [InBureau]
    serializer_class = UnitOut

    @extend_schema(parameters=[OpenApiParameter("group", str), OpenApiParameter("name", str),
                               OpenApiParameter("active", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = Unit.objects.select_related("group").order_by("group__order", "name")
        group, name = query.text(self.request, "group"), query.text(self.request, "name")
        if group:
            found = found.filter(group__code=group)
        if name:
            found = found.filter(name=name)
        active = query.text(self.request, "active")
        if active in {"true", "false"}:
            found = found.filter(active=active == "true")
        return found


class Sections(generics.ListAPIView):
    permission_classes = [InBureau]
    serializer_class = SectionOut

    @extend_schema(parameters=[OpenApiParameter("code", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = Section.objects.order_by("code")
        code = query.text(self.request, "code")
        return found.filter(code=code) if code else found


class ImportUnits(APIView):
    """A units file (``name,group[,user]``), all rows or none; administrators and the collector."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=UnitsFileIn, responses={201: ImportOut, **REFUSALS})
    def post(self, request):
        given = UnitsFileIn(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        outcome = do_import_units(upload.read(), upload.name, acting_user=request.user)
        return Response(ImportOut(outcome).data, status=status.HTTP_201_CREATED)
