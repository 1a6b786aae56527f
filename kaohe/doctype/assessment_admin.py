from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .action_admin import ReadOnlyAdmin
from .assessment import Evidence, Notification, Objection, PublishedResult, Round, ScoreSheet
from .audit import AuditEvent


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


@admin.register(PublishedResult)
class PublishedResultAdmin(ReadOnlyAdmin):
    list_display = ["round", "number", "published_at", "published_by", "reason"]
    list_filter = ["round"]
    exclude = ["content"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "target", "scheme"]
    list_filter = ["action", "scheme"]
    search_fields = ["target", "action", "user__username"]
    date_hierarchy = "at"
