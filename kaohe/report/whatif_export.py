"""A what-if scenario as XLSX or JSON: the changes it made, and the real and the scenario ranking side by side."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from kaohe.scoring.whatif import Comparison

from .scores import jsonable, neutral

KINDS = {"row": gettext_lazy("ledger row"), "figure": gettext_lazy("economic figure"),
         "amount": gettext_lazy("sheet amount")}
FIELDS = {"excluded": gettext_lazy("left out"), "quantity": gettext_lazy("quantity"),
          "points": gettext_lazy("points"), "actual": gettext_lazy("actual"), "target": gettext_lazy("target")}
MOVES = {"up": gettext_lazy("up"), "down": gettext_lazy("down"), "": ""}


def _ranking_header() -> list[str]:
    return [_("group"), _("unit"), _("real rank"), _("real total"), _("real veto"), _("real prize"),
            _("scenario rank"), _("scenario total"), _("scenario veto"), _("scenario prize"), _("change in total"),
            _("move")]


def _ranking_rows(comparison: Comparison, group_names: dict[str, str]) -> list[list]:
    return [[group_names.get(m.group, m.group), m.unit, m.real.rank, m.real.total, m.real.vetoed, m.real.prize,
             m.scenario.rank, m.scenario.total, m.scenario.vetoed, m.scenario.prize, m.total_change,
             str(MOVES[m.direction])] for m in comparison.moves]


def _changes_header() -> list[str]:
    return [_("change"), _("unit"), _("rule or indicator"), _("row"), _("date or month"), _("field"), _("real"),
            _("scenario")]


def _change_rows(changes: list[dict]) -> list[list]:
    return [[str(KINDS[c["kind"]]), c["unit"], c["code"], c["row"], c["date"], str(FIELDS[c["field"]]), c["real"],
             c["scenario"]] for c in changes]


def as_xlsx(title: str, comparison: Comparison, changes: list[dict], group_names: dict[str, str],
            decimals: int = 2) -> bytes:
    """Sheet one: both rankings (row 1 the title, row 2 the header, frozen); sheet two: the changes."""
    book = Workbook()
    number_format = "0." + "0" * decimals if decimals else "0"
    ranking = book.active
    ranking.title = _("what-if")[:31]
    sheets = ((ranking, _ranking_header(), _ranking_rows(comparison, group_names)),
              (book.create_sheet(_("changes")[:31]), _changes_header(), _change_rows(changes)))
    for sheet, header, rows in sheets:
        sheet.append([neutral(title)])
        sheet.append(header)
        for row in rows:
            sheet.append([neutral(v) if isinstance(v, str) else v for v in row])
        for cells in sheet.iter_rows(min_row=3):
            for cell in cells:
                if isinstance(cell.value, Decimal):
                    cell.number_format = number_format
        for index, _label in enumerate(header):
            sheet.column_dimensions[chr(ord("A") + index)].width = 14
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_json(title: str, comparison: Comparison, changes: list[dict], group_names: dict[str, str]) -> bytes:
    data = {
        "title": title,
        "changes": changes,
        "ranking": [{**m.as_dict(), "group_name": group_names.get(m.group, m.group)} for m in comparison.moves],
    }
    return json.dumps(jsonable(data), ensure_ascii=False, indent=2).encode("utf-8")
