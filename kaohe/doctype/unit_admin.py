from django.contrib import admin

from .action_admin import ActionAdmin
from .unit import Section, Unit, UnitGroup


@admin.register(UnitGroup)
class UnitGroupAdmin(ActionAdmin):
    list_display = ["code", "name", "order"]
    list_editable = ["order"]


@admin.register(Unit)
class UnitAdmin(ActionAdmin):
    list_display = ["name", "group", "active"]
    list_filter = ["group", "active"]
    search_fields = ["name"]


@admin.register(Section)
class SectionAdmin(ActionAdmin):
    list_display = ["code", "name", "collects"]
    search_fields = ["name", "code"]
