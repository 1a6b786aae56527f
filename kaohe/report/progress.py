"""``progress``: the round's sheets — which state each is in, whose move it is, since when, and who is late."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.models import State, TransitionLog
from kaohe.permissions import sections_seen
from kaohe.workflow.states import SheetState

from .base import BOOL, DATE, TEXT, Column, Report

# Whose move a sheet in each shipped state waits for (the sheet route in kaohe/doctype/assessment.py).
HOLDERS = {
    SheetState.DRAFT: _("section staff"), SheetState.RETURNED: _("section staff"),
    SheetState.SUBMITTED: _("section head"), SheetState.SIGNED: _("collector"),
}
STILL_TO_SUBMIT = {SheetState.DRAFT, SheetState.RETURNED}


def _today():
    """The clock, as a seam tests can move."""
    return timezone.localdate()


class Progress(Report):
    code = "progress"
    name = _("Sheet progress")
    filters = ("group", "section", "unit")

    def columns(self, round_):
        return [
            Column("section", _("section"), TEXT, 12), Column("unit", _("unit"), TEXT, 14),
            Column("state", _("state"), TEXT, 10), Column("holder", _("held by"), TEXT, 12),
            Column("since", _("since"), DATE, 11), Column("overdue", _("overdue"), BOOL, 8),
        ]

    def rows(self, round_, filters, user=None):
        sheets = round_.sheets.select_related("section", "unit").order_by("section__code", "unit__name")
        seen = sections_seen(user) if user is not None else None
        if seen is not None:
            sheets = sheets.filter(section_id__in=seen)
        lookups = {"group": "unit__group__code", "section": "section__code", "unit": "unit__name"}
        sheets = sheets.filter(**{lookups[key]: value for key, value in filters.items()})
        moved = dict(TransitionLog.objects.filter(sheet__round=round_).values("sheet_id")
                     .annotate(at=Max("at")).values_list("sheet_id", "at"))
        labels = dict(State.objects.filter(workflow__target="sheet").values_list("code", "label"))
        late = round_.due is not None and _today() > round_.due
        return [{
            "section": sheet.section.name, "unit": sheet.unit.name, "state": labels.get(sheet.state, sheet.state),
            "state_code": sheet.state, "holder": str(HOLDERS.get(sheet.state, "")),
            "since": timezone.localtime(moved.get(sheet.pk, round_.opened_at)).date(),
            "overdue": late and sheet.state in STILL_TO_SUBMIT,
        } for sheet in sheets]

    def summary(self, rows):
        overdue = sum(1 for r in rows if r["overdue"])
        return str(_("%(count)d sheets, %(overdue)d overdue")) % {"count": len(rows), "overdue": overdue}
