from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .action_admin import ReadOnlyAdmin
from .ledger import EconomicFigure, ImportBatch, LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Rows are recorded in the Desk (台账 → 新增) or imported, checked the same way, and never edited:
    a correction is a reversing row."""

    list_display = ["date", "unit", "rule", "quantity", "points", "note", "reverses", "batch", "created_by"]
    list_filter = ["scheme", "rule__indicator__section", "unit__group"]
    list_select_related = ["unit", "rule", "batch", "created_by", "reverses"]
    search_fields = ["unit__name", "rule__code", "note"]
    date_hierarchy = "date"



@admin.register(EconomicFigure)
class EconomicFigureAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["unit", "indicator", "year", "month", "target", "actual", "batch"]
    list_filter = ["scheme", "indicator__code", "year", "month"]
    list_select_related = ["unit", "indicator", "batch"]
    search_fields = ["unit__name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "scheme", "filename", "row_count", "created_at", "created_by"]
    list_filter = ["kind", "scheme"]
