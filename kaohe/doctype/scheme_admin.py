from django.contrib import admin

from .action_admin import ActionAdmin
from .scheme import EconomicIndicator, Indicator, Rule, Scheme, SchemeGroup


class SchemeGroupInline(admin.TabularInline):
    model = SchemeGroup
    extra = 0


class EconomicIndicatorInline(admin.TabularInline):
    model = EconomicIndicator
    extra = 0
    fields = ["order", "code", "name", "weight", "in_veto"]


@admin.register(Scheme)
class SchemeAdmin(ActionAdmin):
    list_display = ["code", "name", "year", "family", "method"]
    list_filter = ["year", "family"]
    search_fields = ["code", "name"]
    inlines = [SchemeGroupInline, EconomicIndicatorInline]


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["order", "code", "name", "kind", "amount", "min_points", "max_points", "bands"]
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(ActionAdmin):
    list_display = ["code", "name", "scheme", "base", "weight", "floor", "cap", "section", "owner"]
    list_filter = ["scheme", "section"]
    list_select_related = ["scheme", "section"]
    search_fields = ["code", "name"]
    ordering = ["scheme", "order"]
    inlines = [RuleInline]


@admin.register(Rule)
class RuleAdmin(ActionAdmin):
    list_display = ["code", "name", "kind", "amount", "min_points", "max_points", "indicator", "scheme"]
    list_filter = ["scheme", "kind"]
    list_select_related = ["scheme", "indicator"]
    search_fields = ["code", "name"]
    ordering = ["scheme", "order"]
