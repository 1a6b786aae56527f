from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .action_admin import ActionAdmin, ReadOnlyAdmin
from .appraisal import Grade, ImprovementPlan, Measurement, RaterGroup, Rating, RatingSource


class RaterGroupInline(admin.TabularInline):
    model = RaterGroup
    extra = 0
    fields = ["order", "code", "name", "weight", "min_raters", "deadline", "note_below"]


@admin.register(RatingSource)
class RatingSourceAdmin(ActionAdmin):
    list_display = ["code", "name", "weight", "calendar", "survey", "scheme"]
    list_filter = ["scheme", "calendar"]
    inlines = [RaterGroupInline]


@admin.register(Grade)
class GradeAdmin(ActionAdmin):
    list_display = ["code", "min_score", "quota", "needs_plan", "scheme"]
    list_filter = ["scheme"]


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["unit", "rule", "source", "rater_group", "rater", "period", "value", "letter"]
    list_filter = ["scheme", "source", "period"]
    list_select_related = ["unit", "rule", "source"]
    search_fields = ["unit__name", "rater"]
    raw_id_fields = ["unit", "rule", "source", "batch"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["rule", "unit", "date", "actual", "target"]
    list_filter = ["scheme"]
    list_select_related = ["unit", "rule"]
    search_fields = ["unit__name", "rule__code"]


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["unit", "round", "owner", "due"]
    list_filter = ["round"]
