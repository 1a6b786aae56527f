"""Rounds and their sheets, and the route: a POST names the action (``submit``, ``sign``, ``return``,
``send_back`` for a sheet; ``collect``, ``decide``, ``publish``, ``recollect``, ``close`` for a round). The action
decides who may and when; a refusal comes back as 403 (the role) or 409 (the state) with the reason."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.actions.rounds import (
    do_close_round,
    do_collect_round,
    do_decide_round,
    do_publish_round,
    do_recollect_round,
    do_send_back_sheet,
)
from kaohe.actions.transitions import do_transition
from kaohe.models import Round, ScoreSheet
from kaohe.permissions import roles, sections_seen
from kaohe.workflow.states import Step

from . import query
from .errors import ErrorBody
from .serializers import RoundActionIn, RoundOut, SheetActionIn, SheetOut, StateOut

REFUSALS = {400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody}


def visible_rounds(user):
    """Every round for the bureau; published ones for an assessed unit (``can_view_round``)."""
    found = Round.objects.select_related("scheme").order_by("-id")
    return found if roles(user).bureau else found.filter(published_at__isnull=False)


def visible_sheets(user):
    """The sheets of the sections the user works in (``can_view_sheet``); every one for the collector and meeting."""
    found = ScoreSheet.objects.select_related("section", "unit", "submitted_by").order_by("round_id", "section__code",
                                                                                          "unit__name")
    sections = sections_seen(user)
    return found if sections is None else found.filter(section_id__in=sections)


class Rounds(generics.ListAPIView):
    serializer_class = RoundOut

    @extend_schema(parameters=[OpenApiParameter("scheme", str), OpenApiParameter("state", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = visible_rounds(self.request.user)
        scheme, state = query.text(self.request, "scheme"), query.text(self.request, "state")
        if scheme:
            found = found.filter(scheme__code=scheme)
        if state:
            found = found.filter(state=state)
        return found


class RoundDetail(generics.RetrieveAPIView):
    serializer_class = RoundOut

    def get_queryset(self):
        return visible_rounds(self.request.user)


class RoundAction(APIView):
    @extend_schema(request=RoundActionIn, responses={200: StateOut, **REFUSALS})
    def post(self, request, pk: int):
        round_ = get_object_or_404(Round, pk=pk)
        given = RoundActionIn(data=request.data)
        given.is_valid(raise_exception=True)
        value, user = given.validated_data, request.user
        steps = {
            Step.COLLECT: lambda: do_collect_round(round_, acting_user=user),
            Step.PUBLISH: lambda: do_publish_round(round_, acting_user=user),
            Step.RECOLLECT: lambda: do_recollect_round(round_, comment=value["comment"], acting_user=user),
            Step.CLOSE: lambda: do_close_round(round_, acting_user=user),
            Step.DECIDE: lambda: do_decide_round(round_, resolution=value["resolution"],
                                                 meeting_date=value["meeting_date"], acting_user=user),
        }
        return Response({"state": steps[value["action"]]()})


class Sheets(generics.ListAPIView):
    serializer_class = SheetOut

    @extend_schema(parameters=[OpenApiParameter("round", int), OpenApiParameter("section", str),
                               OpenApiParameter("unit", str), OpenApiParameter("state", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = visible_sheets(self.request.user)
        round_ = query.number(self.request, "round")
        section, unit, state = (query.text(self.request, n) for n in ("section", "unit", "state"))
        if round_ is not None:
            found = found.filter(round_id=round_)
        if section:
            found = found.filter(section__code=section)
        if unit:
            found = found.filter(unit__name=unit)
        if state:
            found = found.filter(state=state)
        return found


class SheetDetail(generics.RetrieveAPIView):
    serializer_class = SheetOut

    def get_queryset(self):
        return visible_sheets(self.request.user)


class SheetAction(APIView):
    @extend_schema(request=SheetActionIn, responses={200: StateOut, **REFUSALS})
    def post(self, request, pk: int):
        sheet = get_object_or_404(ScoreSheet.objects.select_related("round", "section", "unit"), pk=pk)
        given = SheetActionIn(data=request.data)
        given.is_valid(raise_exception=True)
        action, comment = given.validated_data["action"], given.validated_data["comment"]
        if action == Step.SEND_BACK:
            state = do_send_back_sheet(sheet, comment=comment, acting_user=request.user)
        else:
            state = do_transition(sheet, action, acting_user=request.user, comment=comment)
        return Response({"state": state})
