"""``/api/schema/`` (OpenAPI 3), ``/api/docs/`` (Swagger UI), and version 1 under ``/api/v1/``.

The documentation page loads Swagger UI from this site (drf-spectacular-sidecar), never from a CDN. Its scripts
stay under the site's CSP (script-src 'self': the page loads its start-up script from ``?script``); only this
page allows inline styles, which Swagger UI writes. (drf-spectacular's Redoc page is not offered: its template
loads web fonts from elsewhere and runs an inline script.)
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import path, re_path, register_converter
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import economy, ledger, objections, reports, rounds, schemes, scores, units
from .errors import body, item


class Key:
    """A record's key: at most 18 digits, so nothing out of the database's range reaches a query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(Key, "key")

app_name = "api"
INLINE_STYLES = {"style-src": [UNSAFE_INLINE]}

v1 = [
    path("groups/", units.Groups.as_view(), name="groups"),
    path("units/", units.Units.as_view(), name="units"),
    path("units/import/", units.ImportUnits.as_view(), name="units_import"),
    path("sections/", units.Sections.as_view(), name="sections"),
    path("schemes/", schemes.Schemes.as_view(), name="schemes"),
    path("schemes/<str:code>/", schemes.SchemeDetail.as_view(), name="scheme"),
    path("schemes/<str:code>/copy/", schemes.CopyScheme.as_view(), name="scheme_copy"),
    path("schemes/<str:code>/items/<str:item_code>/", schemes.IndicatorDetail.as_view(), name="indicator"),
    path("schemes/<str:code>/rules/<str:rule_code>/", schemes.RuleDetail.as_view(), name="rule"),
    path("schemes/<str:code>/scores/", scores.Scores.as_view(), name="scores"),
    path("ledger/", ledger.Ledger.as_view(), name="ledger"),
    path("ledger/import/", ledger.ImportLedger.as_view(), name="ledger_import"),
    path("ledger/<key:pk>/", ledger.LedgerRow.as_view(), name="ledger_row"),
    path("ledger/<key:pk>/reverse/", ledger.Reverse.as_view(), name="ledger_reverse"),
    path("economy/", economy.Figures.as_view(), name="economy"),
    path("economy/import/", economy.ImportEconomy.as_view(), name="economy_import"),
    path("rounds/", rounds.Rounds.as_view(), name="rounds"),
    path("rounds/<key:pk>/", rounds.RoundDetail.as_view(), name="round"),
    path("rounds/<key:pk>/actions/", rounds.RoundAction.as_view(), name="round_action"),
    path("sheets/", rounds.Sheets.as_view(), name="sheets"),
    path("sheets/<key:pk>/", rounds.SheetDetail.as_view(), name="sheet"),
    path("sheets/<key:pk>/actions/", rounds.SheetAction.as_view(), name="sheet_action"),
    path("objections/", objections.Objections.as_view(), name="objections"),
    path("objections/<key:pk>/", objections.ObjectionDetail.as_view(), name="objection"),
    path("objections/<key:pk>/answer/", objections.Answer.as_view(), name="objection_answer"),
    path("reports/<slug:code>/", reports.ReportRows.as_view(), name="report"),
]

def not_found(request, rest: str = ""):
    """Any other address under /api/ answers in the error shape, not with the Desk's HTML page."""
    return JsonResponse(body(item("not_found", _("Not found."))), status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", csp_update(INLINE_STYLES)(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
         name="docs"),
    *[path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1],
    re_path(r"^(?P<rest>.*)$", not_found),
]
