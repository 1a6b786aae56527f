from django.contrib import admin

from kaohe.doctype.action_admin import ActionAdmin, ReadOnlyAdmin

from .models import Signature, State, Transition, TransitionLog, Workflow


class StateInline(admin.TabularInline):
    model = State
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    fk_name = "workflow"
    fields = ["action", "label", "source", "target", "role", "comment_required", "condition", "approvals_required",
              "forbid_submitter", "signs"]


@admin.register(Workflow)
class WorkflowAdmin(ActionAdmin):
    list_display = ["name", "code", "target"]
    inlines = [StateInline, TransitionInline]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["user", "on_behalf_of", "role", "sheet", "round", "signed_at", "digest"]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "on_behalf_of", "action", "source", "target", "sheet", "round"]
    list_filter = ["action"]
