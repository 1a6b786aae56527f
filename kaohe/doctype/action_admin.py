"""The two kinds of admin page: records people edit, saved through ``kaohe.actions.records`` (role, locks of
signed content, validation, audit), and records only the route and the importers write, shown read-only."""

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from kaohe.actions.records import check_save, do_delete_record, do_save_record
from kaohe.refusals import Refused


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the route or by imports: visible here, changed only through the Desk or the CLI."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _checked_form(form_class, user):
    class Checked(form_class):
        def _post_clean(self):
            super()._post_clean()
            if not self.errors:
                try:
                    check_save(self.instance, user)
                except Refused as refused:
                    self.add_error(None, str(refused))

    Checked.__name__ = form_class.__name__
    return Checked


class ActionAdmin(SimpleHistoryAdmin):
    """Every save and delete of this page and its inlines goes through the write layer, all or nothing."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _checked_form(super().get_form(request, obj, change=change, **kwargs), request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        do_save_record(obj, acting_user=request.user, reason="admin")

    def delete_model(self, request, obj):
        do_delete_record(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                do_delete_record(obj, acting_user=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:  # the list's bulk actions (delete selected) go through the write layer too
            return super().changelist_view(request, extra_context)
        except Refused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(request.get_full_path())

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            do_delete_record(obj, acting_user=request.user)
        for obj in instances:
            obj._history_user = request.user
            do_save_record(obj, acting_user=request.user, reason="admin")
        formset.save_m2m()
