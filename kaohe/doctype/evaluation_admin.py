from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .action_admin import ReadOnlyAdmin
from .evaluation import PanelFindings, SiteReview, SiteReviewFile


@admin.register(SiteReview)
class SiteReviewAdmin(ReadOnlyAdmin):
    list_display = ["unit", "scheme", "date", "evaluators", "created_by"]
    list_filter = ["scheme"]
    search_fields = ["unit__name"]


@admin.register(SiteReviewFile)
class SiteReviewFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "review", "kind", "size", "uploaded_by", "uploaded_at"]


@admin.register(PanelFindings)
class PanelFindingsAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["round", "unit", "written_by", "updated_at"]
    list_filter = ["round"]
