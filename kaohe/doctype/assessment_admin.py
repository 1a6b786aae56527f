from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .assessment import Evidence, Notification, Objection, Round, ScoreSheet


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the route itself: visible here, changed only by walking the route."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["name", "scheme", "period", "as_of_month", "state", "published_at"]
    list_filter = ["state", "scheme"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["round", "section", "unit", "state", "version", "submitted_by"]
    list_filter = ["round", "section", "state"]
    search_fields = ["unit__name"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "filed_by", "filed_at", "answered_at"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "entry", "kind", "size", "uploaded_by", "uploaded_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
