from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .ledger import EconomicFigure, ImportBatch, LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Rows are added here or by import and never edited: a correction is a reversing row."""

    list_display = ["date", "unit", "rule", "quantity", "points", "note", "reverses", "batch", "created_by"]
    list_filter = ["scheme", "rule__indicator__section", "unit__group"]
    list_select_related = ["unit", "rule", "batch", "created_by", "reverses"]
    search_fields = ["unit__name", "rule__code", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["unit"]
    exclude = ["batch", "created_by", "reverses"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in self.model._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)


@admin.register(EconomicFigure)
class EconomicFigureAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "indicator", "year", "month", "target", "actual", "batch"]
    list_filter = ["scheme", "indicator__code", "year", "month"]
    list_select_related = ["unit", "indicator", "batch"]
    search_fields = ["unit__name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "scheme", "filename", "row_count", "created_at", "created_by"]
    list_filter = ["kind", "scheme"]
    readonly_fields = ["kind", "scheme", "fingerprint", "filename", "row_count", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
