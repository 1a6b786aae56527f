from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kaohe.actions.webhooks import do_retry_delivery
from kaohe.refusals import Refused

from .action_admin import ActionAdmin, ReadOnlyAdmin
from .webhook import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ActionAdmin):
    list_display = ["name", "kind", "section", "user", "enabled"]
    list_filter = ["kind", "enabled", "section"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """What was sent to which robot, and why a message did not go: failures first."""

    list_display = ["created_at", "endpoint", "text", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state", "endpoint"]
    actions = ["send_again"]

    @admin.action(description=_("Send the selected messages again"))
    def send_again(self, request, queryset):
        try:
            for delivery in queryset:
                do_retry_delivery(delivery, acting_user=request.user)
        except Refused as refused:
            messages.error(request, str(refused))
            return
        messages.success(request, _("Sent again: %(count)s.") % {"count": queryset.count()})
