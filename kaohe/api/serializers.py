"""What the API shows of each record, and the shapes of its requests. Codes and names, never internal keys
where a stable code exists (a unit by its name, a rule by its code, a scheme by its code)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from kaohe.models import (
    EconomicFigure,
    EconomicIndicator,
    Indicator,
    LedgerEntry,
    Objection,
    Round,
    Rule,
    Scheme,
    ScoreSheet,
    Section,
    Unit,
    UnitGroup,
)
from kaohe.scoring import AsOf

from .query import MONTH_MESSAGE


class GroupOut(serializers.ModelSerializer):
    class Meta:
        model = UnitGroup
        fields = ["code", "name", "order"]


class UnitOut(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "group", "active"]


class SectionOut(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["code", "name", "collects"]


class RuleOut(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Rule
        fields = ["code", "name", "indicator", "kind", "amount", "min_points", "max_points", "bands", "order"]


class IndicatorOut(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    section = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "parent", "base", "floor", "cap", "section", "weight", "order"]


class EconomicIndicatorOut(serializers.ModelSerializer):
    class Meta:
        model = EconomicIndicator
        fields = ["code", "name", "weight", "in_veto"]


class SchemeOut(serializers.ModelSerializer):
    class Meta:
        model = Scheme
        fields = ["code", "name", "year", "family", "method", "decimal_places", "tie_breakers"]


class SchemeDetailOut(SchemeOut):
    indicators = IndicatorOut(many=True, read_only=True)
    rules = RuleOut(many=True, read_only=True)
    economic_indicators = EconomicIndicatorOut(many=True, read_only=True)
    groups = serializers.SerializerMethodField()

    class Meta(SchemeOut.Meta):
        fields = [*SchemeOut.Meta.fields, "groups", "indicators", "rules", "economic_indicators"]

    def get_groups(self, scheme) -> list[str]:
        return [g.group.code for g in scheme.groups.all()]


class LedgerOut(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="name", read_only=True)
    rule = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reverses = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "scheme", "unit", "rule", "quantity", "points", "date", "note", "batch", "reverses",
                  "created_at", "created_by"]


class LedgerIn(serializers.Serializer):
    """One ledger row; the cells are checked by the importer's own validator (so a number is read the same way
    as in a file: full-width digits, thousands separators)."""

    scheme = serializers.CharField(max_length=50)
    unit = serializers.CharField(max_length=200)
    rule = serializers.CharField(max_length=30)
    quantity = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    points = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    date = serializers.CharField(max_length=40)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=False)


class FileIn(serializers.Serializer):
    scheme = serializers.CharField(max_length=50)
    file = serializers.FileField()


class EconomyFileIn(FileIn):
    as_of = serializers.RegexField(r"^\d{4}-\d{2}$", help_text=gettext_lazy("YYYY-MM"))

    def validate_as_of(self, value: str) -> AsOf:
        try:
            return AsOf.parse(value)
        except ValueError:
            raise serializers.ValidationError(str(MONTH_MESSAGE), code="bad_month") from None


class UnitsFileIn(serializers.Serializer):
    file = serializers.FileField()


class ImportOut(serializers.Serializer):
    kind = serializers.CharField()
    rows = serializers.IntegerField()
    batch = serializers.IntegerField(source="batch_id", allow_null=True)
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    duplicate_of = serializers.IntegerField(allow_null=True)


class FigureOut(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="name", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EconomicFigure
        fields = ["id", "scheme", "unit", "indicator", "year", "month", "target", "actual", "batch"]


class RoundOut(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Round
        fields = ["id", "scheme", "name", "period", "as_of_month", "state", "due", "objection_days", "resolution",
                  "meeting_date", "published_at", "version"]


class SheetOut(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="name", read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ScoreSheet
        fields = ["id", "round", "section", "unit", "state", "version", "submitted_by", "updated_at"]


class SheetActionIn(serializers.Serializer):
    action = serializers.CharField(max_length=30, help_text=gettext_lazy("submit, sign, return or send_back"))
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                    trim_whitespace=False)


class RoundActionIn(serializers.Serializer):
    action = serializers.ChoiceField(["collect", "decide", "publish", "recollect", "close"])
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                    trim_whitespace=False)
    resolution = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                       trim_whitespace=False)
    meeting_date = serializers.DateField(required=False, allow_null=True, default=None)


class StateOut(serializers.Serializer):
    state = serializers.CharField()


class ObjectionOut(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(source="sheet.unit", slug_field="name", read_only=True)
    section = serializers.SlugRelatedField(source="sheet.section", slug_field="code", read_only=True)
    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = ["id", "round", "sheet", "unit", "section", "reason", "filed_by", "filed_at", "has_evidence",
                  "answer", "answered_by", "answered_at"]

    def get_has_evidence(self, objection) -> bool:
        return bool(objection.evidence)


class ObjectionIn(serializers.Serializer):
    sheet = serializers.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)
    evidence = serializers.FileField(required=False, allow_null=True)


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)


class CopyIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
