from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .action_admin import ActionAdmin, ReadOnlyAdmin
from .people import Delegation, Membership, Profile


@admin.register(Membership)
class MembershipAdmin(ActionAdmin):
    list_display = ["user", "role", "section", "unit"]
    list_filter = ["role", "section"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Delegations are given and ended by the section head on the Desk, where the rules are checked."""

    list_display = ["head", "delegate", "section", "starts", "ends"]
    list_filter = ["section"]


@admin.register(Profile)
class ProfileAdmin(ActionAdmin):
    list_display = ["user", "signature_image"]
