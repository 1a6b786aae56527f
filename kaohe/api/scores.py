"""Scores with their explanations: exactly the JSON of ``manage.py score --format json`` (``as_of``,
``group``), for those who see live results before publication (administrator, collector, meeting).

``explain=false`` leaves the explanation lines out and reads the stored standings when they are current
(a lookup), else scores from the stored totals or the ledger as the command does.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kaohe.permissions import can_view_live_scores
from kaohe.refusals import NotAllowed
from kaohe.report.scores import as_json
from kaohe.services.aggregates import stored_result
from kaohe.services.scoring import score

from . import query
from .access import InBureau, scheme_named
from .errors import ErrorBody


class Scores(APIView):
    permission_classes = [InBureau]

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", str, description=gettext_lazy("YYYY-MM; default December of the scheme's year")),
            OpenApiParameter("group", str, description=gettext_lazy("only this group (town, entity, direct)")),
            OpenApiParameter("unit", str, description=gettext_lazy("only this unit's entry (ranks stay the group's)")),
            OpenApiParameter("explain", bool,
                             description=gettext_lazy("false: no explanation lines, a stored lookup"))],
        responses={200: OpenApiTypes.OBJECT, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody})
    def get(self, request, code: str):
        if not can_view_live_scores(request.user):
            raise NotAllowed("live_scores", _("Live scores are for the administrator, the collecting section and "
                                              "the meeting; others read the published ranking."))
        scheme = scheme_named(code)
        as_of, group = query.month(request, "as_of"), query.text(request, "group")
        if as_of is not None and as_of.year != scheme.year:
            raise ValidationError({"as_of": [_("The month must be in the scheme's year %(year)s.")
                                             % {"year": scheme.year}]}, code="as_of_outside_year")
        if group and not scheme.groups.filter(group__code=group).exists():
            raise ValidationError({"group": [_("This scheme ranks no such group.")]}, code="unknown_group")
        explain = query.text(request, "explain") not in ("0", "false", "no")
        result = None if explain or group else stored_result(scheme, as_of)
        if result is None:
            result = score(scheme, as_of=as_of, group=group, explain=explain, stored=True)
        data = json.loads(as_json(result))
        unit = query.text(request, "unit")
        if unit:
            data["units"] = [u for u in data["units"] if u.get("unit") == unit]
            if not data["units"]:
                raise NotFound(_("No such unit in this result."))
        return Response(data)
