"""Rating assignments and MBO progress in the admin: read-only (the Desk and ``assign_raters`` write them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .action_admin import ReadOnlyAdmin
from .reviews import ProgressReport, ProgressReview, RatingAssignment


@admin.register(RatingAssignment)
class RatingAssignmentAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["round", "group", "ratee", "rater", "saved_at", "submitted_at"]
    list_filter = ["round", "group__source"]
    list_select_related = ["round", "group__source", "ratee", "rater"]
    search_fields = ["ratee__name", "rater__username"]
    exclude = ["draft"]  # what a rater has typed but not submitted stays theirs


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["rule", "month", "actual", "reported_by", "reported_at"]
    list_filter = ["rule__scheme"]
    list_select_related = ["rule", "reported_by"]


@admin.register(ProgressReview)
class ProgressReviewAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["report", "accepted", "rating", "value", "reviewer", "reviewed_at"]
    list_select_related = ["report__rule", "reviewer"]
