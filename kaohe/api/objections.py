"""Objections (申诉): the list a user may see, filing one (the unit itself, within the window), answering one
(the section's head or the collector) — each through ``kaohe.actions.objections``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.actions.objections import do_answer_objection, do_file_objection
from kaohe.models import Objection, ScoreSheet
from kaohe.permissions import objections_seen

from . import query
from .errors import ErrorBody
from .serializers import AnswerIn, ObjectionIn, ObjectionOut

REFUSALS = {400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody}


def visible_objections(user):
    found = Objection.objects.select_related("sheet__unit", "sheet__section", "filed_by", "answered_by") \
        .order_by("-id")
    scope = objections_seen(user)
    if scope is None:
        return found
    units, sections = scope
    return found.filter(sheet__unit_id__in=units) | found.filter(sheet__section_id__in=sections)


class Objections(generics.ListCreateAPIView):
    serializer_class = ObjectionOut
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(parameters=[OpenApiParameter("round", int), OpenApiParameter("unit", str),
                               OpenApiParameter("answered", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = visible_objections(self.request.user)
        round_, unit = query.number(self.request, "round"), query.text(self.request, "unit")
        if round_ is not None:
            found = found.filter(round_id=round_)
        if unit:
            found = found.filter(sheet__unit__name=unit)
        answered = query.text(self.request, "answered")
        if answered in {"true", "false"}:
            found = found.filter(answered_at__isnull=answered == "false")
        return found

    @extend_schema(request=ObjectionIn, responses={201: ObjectionOut, **REFUSALS})
    def post(self, request, *args, **kwargs):
        given = ObjectionIn(data=request.data)
        given.is_valid(raise_exception=True)
        sheet = get_object_or_404(ScoreSheet.objects.select_related("round", "unit"), pk=given.validated_data["sheet"])
        objection = do_file_objection(sheet, reason=given.validated_data["reason"],
                                      evidence=given.validated_data.get("evidence"), acting_user=request.user)
        return Response(ObjectionOut(objection).data, status=status.HTTP_201_CREATED)


class ObjectionDetail(generics.RetrieveAPIView):
    serializer_class = ObjectionOut

    def get_queryset(self):
        return visible_objections(self.request.user)


class Answer(APIView):
    @extend_schema(request=AnswerIn, responses={200: ObjectionOut, **REFUSALS})
    def post(self, request, pk: int):
        objection = get_object_or_404(Objection, pk=pk)
        given = AnswerIn(data=request.data)
        given.is_valid(raise_exception=True)
        answered = do_answer_objection(objection, answer=given.validated_data["answer"], acting_user=request.user)
        return Response(ObjectionOut(answered).data)
