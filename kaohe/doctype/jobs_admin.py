from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .action_admin import ReadOnlyAdmin
from .jobs import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Jobs are started in the Desk or from the command line and written only by their worker."""

    list_display = ["id", "kind", "state", "progress", "requested_by", "requested_at", "finished_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["requested_by"]

    @admin.display(description=_("progress"))
    def progress(self, job: Job) -> str:
        return f"{job.done}/{job.total}"
