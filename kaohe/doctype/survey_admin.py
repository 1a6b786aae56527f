"""Questionnaires in the admin: an answered version is never edited; saving changes to it makes the next version
with those changes, and the answers keep the version they were given on."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.actions.surveys import do_new_questionnaire_version, has_answers
from kaohe.refusals import Refused

from .action_admin import ActionAdmin, ReadOnlyAdmin
from .survey import Question, Questionnaire, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "options", "rule", "weight", "required"]
    raw_id_fields = ["rule"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(ActionAdmin):
    list_display = ["code", "version", "name", "scheme"]
    list_filter = ["scheme"]
    inlines = [QuestionInline]
    readonly_fields = ["version"]  # given by the system: the next number when an answered version changes
    actions = ["new_version"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        answered = None
        if request.method == "POST" and object_id and str(object_id).isdigit():
            answered = Questionnaire.objects.filter(pk=object_id).first()
        if answered is None or not has_answers(answered):
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            try:
                copy = do_new_questionnaire_version(answered, acting_user=request.user)
            except Refused as refused:
                messages.error(request, str(refused))
                return super().changeform_view(request, object_id, form_url, extra_context)
            request.POST = _onto_copy(request.POST, answered, copy)
            messages.info(request, _("%(name)s version %(version)s has answers: your changes are saved as version "
                                     "%(new)s.") % {"name": answered.name, "version": answered.version,
                                                    "new": copy.version})
            return super().changeform_view(request, str(copy.pk), form_url, extra_context)

    @admin.action(description=_("Make a new version to edit (answered versions stay as they are)"))
    def new_version(self, request, queryset):
        for questionnaire in queryset:
            try:
                made = do_new_questionnaire_version(questionnaire, acting_user=request.user)
            except Refused as refused:
                messages.error(request, str(refused))
                return
            messages.success(request, _("%(name)s version %(version)s is ready to edit.") % {
                "name": made.name, "version": made.version})


def _onto_copy(data, answered: Questionnaire, copy: Questionnaire):
    """The posted form, pointed at the copy: each question of the answered version becomes its copy's."""
    ids = {str(old): str(new) for old, new in zip(answered.questions.values_list("id", flat=True),
                                                   copy.questions.values_list("id", flat=True), strict=True)}
    moved = data.copy()
    for key in data:
        if key.startswith("questions-") and key.endswith("-id") and data[key] in ids:
            moved[key] = ids[data[key]]
        elif key.startswith("questions-") and key.endswith("-questionnaire"):
            moved[key] = str(copy.pk)
    return moved


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["name", "round", "questionnaire", "source", "closes"]
    list_filter = ["round"]
