from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kaohe.actions.surveys import do_new_questionnaire_version
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
    actions = ["new_version"]

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


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["name", "round", "questionnaire", "source", "closes"]
    list_filter = ["round"]
