from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .unit import Section, Unit, UnitGroup


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    list_editable = ["order"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "group", "active"]
    list_filter = ["group", "active"]
    search_fields = ["name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "collects"]
    search_fields = ["name", "code"]
