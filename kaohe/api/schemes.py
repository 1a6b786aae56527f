"""Schemes: read by the bureau; changed by an administrator through the same forms and the same action as the
Desk's scheme editor (``do_save_record``: the role, the locks of signed content, the model's validation, the
audit); copied to another year with ``do_copy_scheme``."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.actions.records import check_save, do_save_record
from kaohe.actions.schemes import do_copy_scheme
from kaohe.desk.schemes import IndicatorForm, RuleForm
from kaohe.models import Indicator, Rule, Scheme, Section

from . import query
from .access import InBureau, scheme_named
from .errors import ErrorBody
from .serializers import CopyIn, IndicatorOut, RuleOut, SchemeDetailOut, SchemeOut

REFUSALS = {400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody}


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["name", "decimal_places", "tie_breakers"]


class SchemeIn(serializers.Serializer):
    name = serializers.CharField(required=False)
    decimal_places = serializers.CharField(required=False)
    tie_breakers = serializers.CharField(required=False, allow_blank=True)


class IndicatorIn(serializers.Serializer):
    name = serializers.CharField(required=False)
    base = serializers.CharField(required=False)
    floor = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    cap = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    section = serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                    help_text=gettext_lazy("section code"))


class RuleIn(serializers.Serializer):
    name = serializers.CharField(required=False)
    kind = serializers.CharField(required=False)
    amount = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    min_points = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    max_points = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    bands = serializers.JSONField(required=False)


def save_through_form(form_class, obj, changes: dict, request):
    """PATCH: the stored values, overlaid with the ones given, validated by the Desk's form, saved by the action.
    The role and the locks are checked first, so a refusal does not depend on what was sent."""
    check_save(obj, request.user)
    initial = forms.model_to_dict(obj, fields=form_class._meta.fields)
    if "section" in initial:  # the API names a section by its code, the form by its key
        initial["section"] = obj.section_id
        if "section" in changes:
            code = changes.pop("section")
            section = Section.objects.filter(code=code).first() if code else None
            if code and section is None:
                raise ValidationError({"section": [_("No section has this code.")]}, code="unknown_section")
            changes["section"] = section.pk if section else None
    data = {**{k: "" if v is None else v for k, v in initial.items()},
            **{k: "" if v is None else v for k, v in changes.items()}}
    if "bands" in data and not isinstance(data["bands"], str):
        data["bands"] = forms.JSONField().prepare_value(data["bands"])
    form = form_class(data, instance=obj)
    if not form.is_valid():
        raise ValidationError({"non_field_errors" if field == "__all__" else field: [e["message"] for e in errors]
                               for field, errors in form.errors.get_json_data().items()}, code="invalid")
    return do_save_record(form.instance, acting_user=request.user, reason="API")


class Schemes(generics.ListAPIView):
    permission_classes = [InBureau]
    serializer_class = SchemeOut

    @extend_schema(parameters=[OpenApiParameter("code", str), OpenApiParameter("year", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = Scheme.objects.order_by("-year", "code")
        code, year = query.text(self.request, "code"), query.number(self.request, "year")
        if code:
            found = found.filter(code=code)
        if year is not None:
            found = found.filter(year=year)
        return found


class SchemeDetail(APIView):
    permission_classes = [InBureau]

    @extend_schema(responses={200: SchemeDetailOut, 404: ErrorBody})
    def get(self, request, code: str):
        scheme = get_object_or_404(Scheme.objects.prefetch_related(
            "indicators__parent", "indicators__section", "rules__indicator", "economic_indicators",
            "groups__group"), code=code)
        return Response(SchemeDetailOut(scheme).data)

    @extend_schema(request=SchemeIn, responses={200: SchemeOut, **REFUSALS})
    def patch(self, request, code: str):
        given = SchemeIn(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        scheme = save_through_form(SchemeForm, scheme_named(code), dict(given.validated_data), request)
        return Response(SchemeOut(scheme).data)


class IndicatorDetail(APIView):
    """An item of the scheme (``1.2``); an administrator changes its name, base, floor, cap and section."""

    permission_classes = [InBureau]

    @extend_schema(responses={200: IndicatorOut, 404: ErrorBody})
    def get(self, request, code: str, item_code: str):
        return Response(IndicatorOut(get_object_or_404(Indicator, scheme__code=code, code=item_code)).data)

    @extend_schema(request=IndicatorIn, responses={200: IndicatorOut, **REFUSALS})
    def patch(self, request, code: str, item_code: str):
        given = IndicatorIn(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        indicator = get_object_or_404(Indicator, scheme__code=code, code=item_code)
        saved = save_through_form(IndicatorForm, indicator, dict(given.validated_data), request)
        return Response(IndicatorOut(saved).data)


class RuleDetail(APIView):
    """A rule (``8.1.a``); an administrator changes its name, kind, amount, range and bands."""

    permission_classes = [InBureau]

    @extend_schema(responses={200: RuleOut, 404: ErrorBody})
    def get(self, request, code: str, rule_code: str):
        return Response(RuleOut(get_object_or_404(Rule, scheme__code=code, code=rule_code)).data)

    @extend_schema(request=RuleIn, responses={200: RuleOut, **REFUSALS})
    def patch(self, request, code: str, rule_code: str):
        given = RuleIn(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        rule = get_object_or_404(Rule, scheme__code=code, code=rule_code)
        saved = save_through_form(RuleForm, rule, dict(given.validated_data), request)
        return Response(RuleOut(saved).data)


class CopyScheme(APIView):
    permission_classes = [InBureau]

    @extend_schema(request=CopyIn, responses={201: SchemeOut, **REFUSALS})
    def post(self, request, code: str):
        scheme = scheme_named(code)
        given = CopyIn(data=request.data)
        given.is_valid(raise_exception=True)
        made = do_copy_scheme(scheme, year=given.validated_data["year"], acting_user=request.user)
        return Response(SchemeOut(made).data, status=status.HTTP_201_CREATED)
