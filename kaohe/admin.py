"""The Desk's administration pages; each concept's admin lives beside its model."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from .doctype import (  # noqa: F401  (registers the admins)
    appraisal_admin,
    assessment_admin,
    evaluation_admin,
    jobs_admin,
    ledger_admin,
    people_admin,
    reviews_admin,
    scheme_admin,
    survey_admin,
    unit_admin,
    webhook_admin,
)
from .workflow import admin as workflow_admin  # noqa: F401

# API tokens are made and revoked only in the Desk (/tokens/), through kaohe.actions.tokens and its audit.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)

admin.site.site_header = _("Assessment")
admin.site.site_title = "kaohe"
